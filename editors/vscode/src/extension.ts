// Starts `plan-lint server` for plan files; everything else is the server's.
import { workspace, ExtensionContext } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace.getConfiguration("plan-lint").get<string>("path", "plan-lint");
  const server: ServerOptions = { command, args: ["server"] };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: "**/*.plan.toml" },
      { scheme: "file", pattern: "**/*.plan.json" },
      { scheme: "file", language: "yaml", pattern: "**/*.plan.{yaml,yml}" },
      { scheme: "file", language: "markdown", pattern: "**/*.plan.md" },
      { scheme: "file", pattern: "**/{plan-lint,.plan-lint}.toml" },
    ],
    synchronize: {
      fileEvents: workspace.createFileSystemWatcher("**/{*.plan.toml,*.plan.json,*.plan.yaml,*.plan.yml,*.plan.md,plan-lint.toml,.plan-lint.toml}"),
    },
  };
  client = new LanguageClient("plan-lint", "plan-lint", server, options);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
