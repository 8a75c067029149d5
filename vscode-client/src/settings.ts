// The server's settings, read with the keys package.json's generated section lists (the server's
// own schema, scripts/gen_vscode_settings.py), so nothing here names a server setting by hand.
import * as vscode from 'vscode';

const SECTION = 'dockerfileStages';
const GENERATED_SECTION = 'dockerfileStages.analysis';
/** The one server setting the extension sets itself, from VS Code's workspace trust. It is not in
 * package.json, so a workspace's own settings.json cannot claim it. Untrusted: no network sizes. */
const TRUST_KEY = 'workspace.trusted';

interface ConfigurationSection {
  id?: string;
  properties?: Record<string, unknown>;
}

/** The keys under `dockerfileStages.` that the server reads (e.g. `diagnostics.delayMs`). */
export function serverSettingKeys(packageJson: any): string[] {
  const sections: ConfigurationSection[] = packageJson?.contributes?.configuration ?? [];
  const generated = sections.find((section) => section.id === GENERATED_SECTION);
  return Object.keys(generated?.properties ?? {}).map((key) => key.slice(SECTION.length + 1));
}

/** `{dockerfileStages: {key: value}}` with dotted keys, the shape the server flattens and reads. */
export function serverSettings(keys: string[], scope?: vscode.Uri): { dockerfileStages: Record<string, unknown> } {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const value = config.get(key);
    if (value !== undefined && value !== null) {
      values[key] = value;
    }
  }
  values[TRUST_KEY] = vscode.workspace.isTrusted;
  return { dockerfileStages: values };
}

/** Settings that only a new server process picks up (how it is found and what it logs). */
export function needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return ['server', 'logLevel'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

export function affectsServer(event: vscode.ConfigurationChangeEvent, keys: string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
