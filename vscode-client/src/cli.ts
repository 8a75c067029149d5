// Running the server's command line (size, split) with the same interpreter the server runs on.
import { execFile } from 'child_process';
import { ServerCommand } from './discovery';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `dockerfile-stages ARGS` with `input` on standard input. */
export function runCli(server: ServerCommand, args: string[], input: string, timeoutMs = 60000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      server.command,
      [...server.args, ...args],
      { env: server.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (code ? error?.message : '') || '') });
      },
    );
    child.stdin?.end(input);
  });
}
