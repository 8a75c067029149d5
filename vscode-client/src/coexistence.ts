// Docker's extension (Docker DX) and Microsoft's (Docker, Container Tools) run rcjsuen's Dockerfile
// language server on the same files. Measured side by side (vscode-client/README.md): both complete
// stage names after `--from=` (each name is listed twice), both hover on instruction keywords, both
// format, and both report a duplicate stage name; Docker DX also runs BuildKit's build checks, some
// of which are ours too. Their server has no setting for any of it, so we offer to leave the
// doubled checks to them (the README names the formatter setting).
import * as vscode from 'vscode';
import { Logger } from './logger';

export const OTHER_DOCKERFILE_EXTENSIONS: Record<string, string> = {
  'ms-azuretools.vscode-docker': "Microsoft's Docker extension",
  'ms-azuretools.vscode-containers': "Microsoft's Container Tools",
  'docker.docker': "Docker's extension (Docker DX)",
};

/** Our rules that the other servers also report: rcjsuen's duplicate-name error, and the BuildKit
 * build checks Docker DX shows (DuplicateStageName, ReservedStageName, StageNameCasing,
 * FromAsCasing, UndefinedArgInFrom, InvalidDefaultArgInFrom). */
export function overlappingRules(installed: string[]): string[] {
  const rules = new Set(['DS104']);
  if (installed.includes('docker.docker')) {
    for (const rule of ['DS105', 'DS107', 'DS108', 'DS114', 'DS115']) {
      rules.add(rule);
    }
  }
  return [...rules].sort();
}

const DISMISSED = 'dockerfileStages.otherServersDismissed';

export async function warnAboutOtherServers(context: vscode.ExtensionContext, log: Logger): Promise<void> {
  const config = vscode.workspace.getConfiguration('dockerfileStages');
  const installed = Object.keys(OTHER_DOCKERFILE_EXTENSIONS).filter((id) => vscode.extensions.getExtension(id));
  if (installed.length === 0) {
    return;
  }
  const names = installed.map((id) => OTHER_DOCKERFILE_EXTENSIONS[id]).join(' and ');
  const rules = overlappingRules(installed);
  log.info(`${names} also serve Dockerfiles; overlapping checks: ${rules.join(', ')}`);
  if (!config.get<boolean>('warnAboutOtherDockerfileServers', true) || context.workspaceState.get(DISMISSED)) {
    return;
  }
  const ignored = config.get<string[]>('diagnostics.ignore', []);
  const missing = rules.filter((rule) => !ignored.includes(rule));
  const leave = `Leave ${missing.join(', ')} to them`;
  const message =
    `${names} also serve Dockerfiles: stage names after --from= are offered twice, and ` +
    `${missing.length ? missing.join(', ') : 'no'} checks are reported by both.`;
  await context.workspaceState.update(DISMISSED, true); // once per workspace, whatever the answer
  const choice = await vscode.window.showInformationMessage(message, ...(missing.length ? [leave] : []));
  if (choice === leave) {
    const target = vscode.workspace.workspaceFolders
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await config.update('diagnostics.ignore', [...ignored, ...missing], target);
  }
}
