#!/usr/bin/env node
// The installed entry point: load the compiled CLI, nothing else, so a cold `utrc check` stays close to bare Node.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
