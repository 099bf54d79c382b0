import { buildProgram } from './program';

// Entry of `bin/agora` (dist/cli/src/main.js): parse, run, and let the exit status set by the command stand.
buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`agora: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
