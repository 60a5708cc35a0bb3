/** A sparse byte-addressed memory (4 KiB pages), enough to place syscall arguments and read them back. */
const PAGE = 4096;
const PAGE_BIG = 4096n;

export class Memory {
  private pages = new Map<bigint, Uint8Array>();
  /** Next free address of the argument area. */
  private brk = 0x7f0000000000n;
  /** Counts changes (writes, allocations), so that an observer can tell the memory changed without reading it. */
  version = 0;

  /** A copy (fork). */
  clone(): Memory {
    const m = new Memory();
    for (const [k, v] of this.pages) m.pages.set(k, v.slice());
    m.brk = this.brk;
    return m;
  }

  /** Reserve `len` bytes (16-byte aligned) and return their address. */
  alloc(len: number): bigint {
    const addr = this.brk;
    this.version++;
    this.brk += BigInt((Math.max(len, 1) + 15) & ~15);
    return addr;
  }

  /** Forget allocations made since `mark` (argument areas of a finished syscall), keeping the bytes. */
  mark(): bigint {
    return this.brk;
  }

  release(mark: bigint): void {
    if (this.brk !== mark) this.version++;
    this.brk = mark;
  }

  read(addr: bigint, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const a = addr + BigInt(i);
      const page = this.pages.get(a / PAGE_BIG);
      const off = Number(a % PAGE_BIG);
      const n = Math.min(PAGE - off, len - i);
      if (page) out.set(page.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }

  write(addr: bigint, bytes: Uint8Array): void {
    this.version++;
    for (let i = 0; i < bytes.length;) {
      const a = addr + BigInt(i);
      const key = a / PAGE_BIG;
      let page = this.pages.get(key);
      if (!page) {
        page = new Uint8Array(PAGE);
        this.pages.set(key, page);
      }
      const off = Number(a % PAGE_BIG);
      const n = Math.min(PAGE - off, bytes.length - i);
      page.set(bytes.subarray(i, i + n), off);
      i += n;
    }
  }
}
