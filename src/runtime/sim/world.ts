/**
 * The simulator's kernel objects: processes (thread groups) and tasks (threads), with the state the signal,
 * job-control, exit and reap code works on. Plain records; the behaviour lives in `simulator.ts`.
 */
import { signalNumber } from '../../arch/signals.js';
import type { RunState, StepMode } from '../backend.js';
import type { Coroutine, Point, SigInfo } from '../types.js';
import type { Op } from './workload/types.js';
import type { Memory } from './memory.js';
import type { Runnable } from './scheduler.js';

/** A signal disposition (`struct k_sigaction` of the process). */
export interface Disposition {
  kind: 'default' | 'ignore' | 'handler';
  /** The handler program (absent: an inline handler whose ops follow in the current program). */
  program?: string;
  flags: bigint;
  mask: readonly number[];
}

/** One level of a task's op stack: the ops, the next index, the iterations left of a `repeat`. */
export interface ExecLevel {
  ops: readonly Op[];
  i: number;
  left: number;
  /** The level is a signal handler's program: falling off its end is a `sigreturn`. */
  handler: boolean;
}

/** A signal frame pushed by handler delivery and popped by `sigreturn`. */
export interface SigFrame {
  savedBlocked: Set<number>;
  /** Op stack depth to return to (-1 for an inline handler, whose ops are in the current program). */
  depth: number;
  /** An interrupted op to run again after the handler (SA_RESTART), or null. */
  restart: Op | null;
  /** The return register of the interrupted context. */
  savedRet: bigint;
}

/** A simulated process. */
export class SimProcess {
  readonly threads: SimTask[] = [];
  readonly children: SimProcess[] = [];
  readonly sigactions = new Map<number, Disposition>();
  /** Shared pending signals (`signal->shared_pending`). */
  shared: SigInfo[] = [];
  /** `signal->group_stop_count`. */
  groupStopCount = 0;
  /** SIGNAL_STOP_STOPPED. */
  stopStopped = false;
  /** SIGNAL_CLD_CONTINUED / SIGNAL_CLD_STOPPED waiting to be reported by a thread of the process. */
  cldPending: 0 | 5 | 6 = 0;
  /** SIGNAL_GROUP_EXIT with its exit status. */
  groupExit: number | null = null;
  /** All threads have exited. */
  zombie = false;
  reaped = false;
  exitStatus = 0;
  /** wait(WUNTRACED) / wait(WCONTINUED) have something to report. */
  waitStopped = false;
  waitContinued = false;
  readonly childLabels = new Map<string, SimProcess>();
  readonly threadLabels = new Map<string, SimTask>();
  /** The signal the parent gets when this process exits (clone's low byte; SIGCHLD for fork). */
  exitSignal = signalNumber('SIGCHLD');
  /** Interval timers by kind. */
  readonly itimers = new Map<string, { id: number }>();

  constructor(
    readonly pid: number,
    public parent: SimProcess | null,
    public pgid: number,
    public sid: number,
    public memory: Memory,
  ) {}
}

/** A simulated thread. */
export class SimTask {
  state: RunState = 'running';
  regs: Record<string, bigint>;
  /** Thread-private pending signals. */
  pending: SigInfo[] = [];
  blocked = new Set<number>();
  stack: ExecLevel[] = [];
  frames: SigFrame[] = [];
  notifyResume = false;
  sigpending = false;
  syscallTrace = false;
  step: StepMode = 'none';
  switches = 0;
  /** SIGKILL (or a group exit) is pending. */
  killed = false;
  exiting = false;
  /** Why the last block ended. */
  wakeReason = '';
  /** An interrupted syscall to restart (or, with a handler, to resolve as -EINTR or SA_RESTART). */
  interrupted: { op: Op; code: number } | null = null;
  restartOp: Op | null = null;
  /** Remaining time of an interrupted time block, for its restart. */
  remainingNs: number | null = null;
  /** A vfork parent this child releases when it execs or exits. */
  vforkParent: SimTask | null = null;
  vforkDone = false;
  exitWake: string | undefined;
  /** A temporary blocked set in force while sleeping in `rt_sigsuspend` (restored at handler return). */
  suspendSaved: Set<number> | null = null;
  co!: Coro;
  /** While running user code (a `compute` op): when it would end; 0 otherwise. */
  userUntil = 0;
  /** The reusable `sleep` point a syscall yields for its cost. */
  readonly costPoint: { kind: 'sleep'; ns: number } = { kind: 'sleep', ns: 0 };

  constructor(
    readonly tid: number,
    public proc: SimProcess,
    public comm: string,
    regs: Record<string, bigint>,
  ) {
    this.regs = regs;
  }

  get isLeader(): boolean {
    return this.tid === this.proc.pid;
  }
}

/** A coroutine the scheduler runs: a tracee thread, debugger-side code, or a kernel helper (the reaper). */
export class Coro implements Runnable {
  blocked = false;
  /** Until when a blocked coroutine may sleep (a timeout); Infinity for none. */
  deadline = Infinity;
  /** When a sleeping (not blocked) coroutine becomes runnable. */
  wakeAt = 0;
  waitPoint: Extract<Point, { kind: 'wait' }> | null = null;
  point: Point | null = null;
  done = false;
  readonly caller: string;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: 'tracee' | 'debugger' | 'kernel',
    readonly gen: Coroutine<void>,
    readonly simTask: SimTask | null,
  ) {
    this.caller = name;
  }

  get task(): number {
    return this.simTask ? this.simTask.tid : 0;
  }
}
