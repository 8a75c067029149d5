// Finding a server to run, in the documented order: the server.path setting; the
// server.interpreter setting, or the Python extension's interpreter when it has the package;
// the copy bundled in the VSIX, run by a Python 3.10+ found on PATH.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Logger } from './logger';

/** How to run the server's command line: `command ...args serve`, `command ...args size FILE`. */
export interface ServerCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where it came from, for the output channel and the status bar tooltip. */
  source: string;
}

export interface DiscoveryFailure {
  /** One sentence for the error message: what was tried and what to do. */
  message: string;
  /** The setting the message's button opens. */
  setting: string;
}

const MODULE_CHECK = 'import dockerfile_stages, sys; print(dockerfile_stages.__version__)';
const VERSION_CHECK = 'import sys; print("%d.%d" % sys.version_info[:2]); sys.exit(0 if sys.version_info >= (3, 10) else 1)';
const PATH_PYTHONS = ['python3', 'python', 'python3.13', 'python3.12', 'python3.11', 'python3.10'];

interface RunResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout).trim(), stderr: String(stderr || error?.message || '').trim() });
    });
  });
}

export function bundledLibs(extensionPath: string): string {
  return path.join(extensionPath, 'bundled', 'libs');
}

async function fromPathSetting(configured: string, log: Logger): Promise<ServerCommand | DiscoveryFailure> {
  const result = await run(configured, ['--version']);
  if (!result.ok) {
    return {
      message: `dockerfileStages.server.path is "${configured}", which does not run (${result.stderr || 'no output'}).`,
      setting: 'dockerfileStages.server.path',
    };
  }
  log.info(`server: ${configured} (${result.stdout}), from dockerfileStages.server.path`);
  return { command: configured, args: [], env: process.env, source: `dockerfileStages.server.path: ${configured}` };
}

async function withPackage(python: string, source: string, log: Logger): Promise<ServerCommand | undefined> {
  const result = await run(python, ['-c', MODULE_CHECK]);
  if (!result.ok) {
    log.info(`${python} (${source}) has no dockerfile_stages package: ${result.stderr.split('\n').pop()}`);
    return undefined;
  }
  log.info(`server: dockerfile_stages ${result.stdout} in ${python}, from ${source}`);
  return { command: python, args: ['-m', 'dockerfile_stages'], env: process.env, source: `${source}: ${python}` };
}

/** The Python extension's interpreter for this workspace, through its public API where it is installed. */
async function pythonExtensionInterpreter(log: Logger): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api: any = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (environments?.getActiveEnvironmentPath) {
      const active = environments.getActiveEnvironmentPath();
      const resolved = await environments.resolveEnvironment(active);
      const executable: string | undefined = resolved?.executable?.uri?.fsPath ?? active?.path;
      if (executable) {
        return executable;
      }
    }
    const details = api?.settings?.getExecutionDetails?.();
    return details?.execCommand?.[0];
  } catch (error) {
    log.warning(`the Python extension did not tell its interpreter: ${String(error)}`);
    return undefined;
  }
}

async function pythonOnPath(log: Logger): Promise<string | undefined> {
  const candidates = process.platform === 'win32' ? ['python', 'py', ...PATH_PYTHONS] : PATH_PYTHONS;
  for (const candidate of candidates) {
    const result = await run(candidate, ['-c', VERSION_CHECK]);
    if (result.ok) {
      log.info(`found Python ${result.stdout} on PATH: ${candidate}`);
      return candidate;
    }
    if (result.stdout) {
      log.info(`${candidate} on PATH is Python ${result.stdout}; 3.10 or newer is needed`);
    }
  }
  return undefined;
}

async function bundled(extensionPath: string, log: Logger): Promise<ServerCommand | undefined> {
  const libs = bundledLibs(extensionPath);
  if (!fs.existsSync(path.join(libs, 'dockerfile_stages'))) {
    log.warning(`this extension's bundled server is missing (${libs})`);
    return undefined;
  }
  const python = await pythonOnPath(log);
  if (!python) {
    return undefined;
  }
  // PYTHONPATH comes before site-packages, so the bundled copy wins over an older installed one
  const inherited = process.env.PYTHONPATH ? path.delimiter + process.env.PYTHONPATH : '';
  const env = { ...process.env, PYTHONPATH: libs + inherited, PYTHONNOUSERSITE: '1' };
  const check = await run(python, ['-c', MODULE_CHECK], env);
  if (!check.ok) {
    log.error(`the bundled server does not import with ${python}: ${check.stderr}`);
    return undefined;
  }
  log.info(`server: the bundled dockerfile_stages ${check.stdout}, run by ${python}`);
  return { command: python, args: ['-m', 'dockerfile_stages'], env, source: `bundled copy, run by ${python}` };
}

export async function discoverServer(extensionPath: string, log: Logger): Promise<ServerCommand | DiscoveryFailure> {
  const config = vscode.workspace.getConfiguration('dockerfileStages');
  const configuredPath = config.get<string>('server.path', '').trim();
  if (configuredPath) {
    return fromPathSetting(configuredPath, log);
  }
  const configuredPython = config.get<string>('server.interpreter', '').trim();
  if (configuredPython) {
    return (
      (await withPackage(configuredPython, 'dockerfileStages.server.interpreter', log)) ?? {
        message: `dockerfileStages.server.interpreter is "${configuredPython}", which cannot import dockerfile_stages: run "${configuredPython} -m pip install dockerfile-stages" or change the setting.`,
        setting: 'dockerfileStages.server.interpreter',
      }
    );
  }
  // an untrusted workspace may select its own interpreter (a .venv it brings): not run until trusted
  const selected = vscode.workspace.isTrusted ? await pythonExtensionInterpreter(log) : undefined;
  const fromPythonExtension = selected ? await withPackage(selected, "the Python extension's interpreter", log) : undefined;
  if (fromPythonExtension) {
    return fromPythonExtension;
  }
  if (config.get<boolean>('server.useBundled', true)) {
    const fromBundle = await bundled(extensionPath, log);
    if (fromBundle) {
      return fromBundle;
    }
  }
  return {
    message:
      'No Dockerfile Stages server found: install Python 3.10 or newer (the extension brings the server), ' +
      'or "pip install dockerfile-stages" and set dockerfileStages.server.path or dockerfileStages.server.interpreter.',
    setting: 'dockerfileStages.server',
  };
}

export function isFailure(found: ServerCommand | DiscoveryFailure): found is DiscoveryFailure {
  return (found as DiscoveryFailure).message !== undefined;
}
