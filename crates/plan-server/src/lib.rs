//! `plan-lint server`: a language server for plan files, over stdio.
//!
//! One loop reads messages and answers them in order; changes that arrive together are applied
//! together and checked once (the debounce: the queue is drained before a check). Every
//! request is answered: a request that panics is answered with an error, logged, and the
//! server goes on. Diagnostics are the command line's findings for the same text, with the
//! portfolio rules over the whole project and open buffers in place of their files.

mod actions;
mod diagnostics;
mod navigation;
mod position;
mod state;
mod tree;
mod uri;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::*;
use state::{Document, Project};
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The date time-based rules treat as today, when the command line fixes it (`--today`).
static TODAY: std::sync::OnceLock<jiff::civil::Date> = std::sync::OnceLock::new();

/// Serve over standard input and output until the client shuts the server down; `today`
/// fixes the date time-based rules see (else today, UTC, at each check).
pub fn run_stdio(today: Option<jiff::civil::Date>) -> Result<(), Error> {
    if let Some(today) = today {
        let _ = TODAY.set(today);
    }
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

/// Serve one client on a connection.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "plan-lint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server::new(connection, &params);
    server.watch_files(&params);
    server.main_loop()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "#".into(), "[".into(), " ".into()]),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

pub struct Server<'c> {
    connection: &'c Connection,
    pub documents: HashMap<PathBuf, Document>,
    /// By project folder.
    pub projects: HashMap<PathBuf, Project>,
    /// For each folder a plan was opened in, its project's folder (or why there is none).
    folders: HashMap<PathBuf, Result<PathBuf, String>>,
    /// Documents whose diagnostics must be computed again.
    dirty: bool,
    /// Documents with diagnostics published, so that a cleared one is cleared in the client.
    published: HashSet<PathBuf>,
    /// Config files with diagnostics published.
    config_published: HashSet<PathBuf>,
    cancelled: HashSet<RequestId>,
    /// Whether the client has agreed to report changes to plan and config files.
    watching: bool,
}

/// The id of the request that asks the client to watch plan and config files.
const WATCH_REQUEST: &str = "plan-lint/watch-files";

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, _params: &InitializeParams) -> Server<'c> {
        Server {
            connection,
            documents: HashMap::new(),
            projects: HashMap::new(),
            folders: HashMap::new(),
            dirty: false,
            published: HashSet::new(),
            config_published: HashSet::new(),
            cancelled: HashSet::new(),
            watching: false,
        }
    }

    /// Ask the client to report changes to plan and config files, when it can: then a plan
    /// not open is read again when it changes, not looked at on every edit. Until the client
    /// agrees (and with clients that cannot), every check looks at every plan's file.
    fn watch_files(&self, params: &InitializeParams) {
        let can = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|workspace| workspace.did_change_watched_files.as_ref())
            .and_then(|watched| watched.dynamic_registration)
            .unwrap_or(false);
        if !can {
            return;
        }
        let globs = plan_engine::discover::PLAN_SUFFIXES
            .iter()
            .map(|suffix| format!("**/*{suffix}"))
            .chain([
                "**/plan-lint.toml".to_owned(),
                "**/.plan-lint.toml".to_owned(),
                // Rule files (`rule_files`) may have any name.
                "**/*.toml".to_owned(),
            ]);
        let watchers = globs
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: WATCH_REQUEST.into(),
            method: notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        self.send(Request::new(
            RequestId::from(WATCH_REQUEST.to_owned()),
            request::RegisterCapability::METHOD.into(),
            RegistrationParams {
                registrations: vec![registration],
            },
        ));
    }

    fn main_loop(&mut self) -> Result<(), Error> {
        loop {
            let message = self.connection.receiver.recv()?;
            if self.handle(message)? {
                return Ok(());
            }
            // Whatever else has arrived meanwhile is applied before checking once.
            while let Ok(message) = self.connection.receiver.try_recv() {
                if self.handle(message)? {
                    return Ok(());
                }
            }
            if self.dirty {
                self.dirty = false;
                self.publish();
            }
        }
    }

    /// Handle one message; `true` when the client has shut the server down.
    fn handle(&mut self, message: Message) -> Result<bool, Error> {
        match message {
            Message::Request(request) => {
                if self.connection.handle_shutdown(&request)? {
                    return Ok(true);
                }
                let id = request.id.clone();
                if self.cancelled.remove(&id) {
                    self.send(Response::new_err(
                        id,
                        ErrorCode::RequestCanceled as i32,
                        "cancelled".into(),
                    ));
                    return Ok(false);
                }
                let method = request.method.clone();
                let answer = std::panic::catch_unwind(AssertUnwindSafe(|| self.request(request)));
                let response = match answer {
                    Ok(Ok(value)) => Response::new_ok(id, value),
                    Ok(Err(message)) => {
                        Response::new_err(id, ErrorCode::InvalidParams as i32, message)
                    }
                    Err(panic) => {
                        let why = panic_message(&panic);
                        self.log(MessageType::ERROR, &format!("{method} failed: {why}"));
                        Response::new_err(id, ErrorCode::InternalError as i32, why)
                    }
                };
                self.send(response);
            }
            Message::Notification(notification) => {
                let method = notification.method.clone();
                let handled =
                    std::panic::catch_unwind(AssertUnwindSafe(|| self.notification(notification)));
                if let Err(panic) = handled {
                    let why = panic_message(&panic);
                    self.log(MessageType::ERROR, &format!("{method} failed: {why}"));
                }
            }
            Message::Response(response) => {
                if response.id == RequestId::from(WATCH_REQUEST.to_owned())
                    && response.response_result.is_ok()
                {
                    self.watching = true;
                    for project in self.projects.values_mut() {
                        project.watched = true;
                    }
                }
            }
        }
        Ok(false)
    }

    fn request(&mut self, request: Request) -> Result<serde_json::Value, String> {
        fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
            serde_json::from_value(request.params).map_err(|e| e.to_string())
        }
        let json =
            |value: Result<serde_json::Value, serde_json::Error>| value.map_err(|e| e.to_string());
        match request.method.as_str() {
            request::HoverRequest::METHOD => {
                let p: HoverParams = params(request)?;
                json(serde_json::to_value(navigation::hover(self, &p)))
            }
            request::Completion::METHOD => {
                let p: CompletionParams = params(request)?;
                json(serde_json::to_value(navigation::completion(self, &p)))
            }
            request::GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(request)?;
                json(serde_json::to_value(navigation::definition(self, &p)))
            }
            request::References::METHOD => {
                let p: ReferenceParams = params(request)?;
                json(serde_json::to_value(navigation::references(self, &p)))
            }
            request::DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(request)?;
                json(serde_json::to_value(navigation::symbols(self, &p)))
            }
            request::CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(request)?;
                json(serde_json::to_value(actions::code_actions(self, &p)))
            }
            _ => Err(format!("plan-lint does not answer `{}`", request.method)),
        }
    }

    fn notification(&mut self, notification: Notification) {
        fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
            serde_json::from_value(n.params).ok()
        }
        match notification.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<DidOpenTextDocumentParams>(notification) else {
                    return;
                };
                let item = p.text_document;
                self.open(item.uri, item.text, item.version);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<DidChangeTextDocumentParams>(notification) else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                let path = real(&path);
                if let Some(change) = p.content_changes.into_iter().last() {
                    let is_config = is_config(&path);
                    if let Some(document) = self.documents.get_mut(&path) {
                        document.text = change.text;
                        document.version = p.text_document.version;
                    }
                    if is_config {
                        self.forget_projects();
                    }
                    self.dirty = true;
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                // A new plan may have been saved: find the projects' plans again.
                for project in self.projects.values_mut() {
                    project.discover();
                }
                self.dirty = true;
            }
            notification::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<DidCloseTextDocumentParams>(notification) else {
                    return;
                };
                if let Some(path) = uri::to_path(&p.text_document.uri) {
                    let path = real(&path);
                    if is_config(&path) {
                        self.forget_projects();
                    }
                    // The file's disk content counts again for the other plans' checks.
                    self.documents.remove(&path);
                    self.note_disk_change();
                    self.dirty = true;
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let Some(p) = params::<DidChangeWatchedFilesParams>(notification) else {
                    return;
                };
                self.files_changed(&p.changes);
            }
            notification::Cancel::METHOD => {
                if let Some(p) = params::<CancelParams>(notification) {
                    let id = match p.id {
                        NumberOrString::Number(n) => RequestId::from(n),
                        NumberOrString::String(s) => RequestId::from(s),
                    };
                    self.cancelled.insert(id);
                }
            }
            _ => {}
        }
    }

    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let Some(path) = uri::to_path(&uri) else {
            return;
        };
        let path = real(&path);
        if is_config(&path) || self.is_rule_file(&path) {
            self.forget_projects();
        }
        self.documents.insert(path, Document { uri, text, version });
        self.dirty = true;
    }

    /// Files changed on disk, as the client reports them: a config changes everything; a plan
    /// created or deleted changes which plans the projects have; a plan changed is read again.
    fn files_changed(&mut self, changes: &[FileEvent]) {
        let paths: Vec<(PathBuf, FileChangeType)> = changes
            .iter()
            .filter_map(|change| Some((uri::to_path(&change.uri)?, change.typ)))
            .collect();
        if paths
            .iter()
            .any(|(path, _)| is_config(path) || self.is_rule_file(path))
        {
            self.forget_projects();
        } else if paths.iter().any(|(_, typ)| *typ != FileChangeType::CHANGED) {
            for project in self.projects.values_mut() {
                project.discover();
            }
        } else {
            self.note_disk_change();
        }
        self.dirty = true;
    }

    fn note_disk_change(&mut self) {
        for project in self.projects.values_mut() {
            project.note_disk_change();
        }
    }

    /// Whether a project's config names this file in `rule_files`: its custom rules change
    /// as a config edit does.
    fn is_rule_file(&self, path: &Path) -> bool {
        self.projects.values().any(|project| {
            project
                .settings
                .config
                .as_ref()
                .is_some_and(|config| config.rule_files.iter().any(|file| file == path))
        })
    }

    /// Config edits change everything: projects are found again on the next check.
    fn forget_projects(&mut self) {
        self.projects.clear();
        self.folders.clear();
    }

    /// The folder of the project that plans in `folder` belong to: found once (again after a
    /// config edit, which forgets every project). A broken config is the error, looked for
    /// again each time until it is mended.
    fn project_key(&mut self, folder: &Path) -> Result<PathBuf, plan_engine::EngineError> {
        if let Some(Ok(key)) = self.folders.get(folder)
            && self.projects.contains_key(key)
        {
            return Ok(key.clone());
        }
        match Project::for_folder(folder, today()) {
            Ok(mut project) => {
                project.watched = self.watching;
                let key = project.folder().to_owned();
                self.folders.insert(folder.to_owned(), Ok(key.clone()));
                self.projects.entry(key.clone()).or_insert(project);
                Ok(key)
            }
            Err(error) => {
                self.folders
                    .insert(folder.to_owned(), Err(error.to_string()));
                Err(error)
            }
        }
    }

    /// The project of a plan, as last checked (checked now if it has not been, or if the
    /// plan is new to it).
    pub fn project_of(&mut self, path: &Path) -> Option<&mut Project> {
        let key = self.project_key(path.parent()?).ok()?;
        let documents = &self.documents;
        let project = self.projects.get_mut(&key)?;
        let new_plan = !project.contains(path) && is_plan(path);
        if new_plan {
            project.discover();
        }
        if new_plan || !project.is_checked() {
            project.check(documents, today());
        }
        Some(project)
    }

    /// Check every project with an open plan and publish each open plan's diagnostics.
    fn publish(&mut self) {
        let today = today();
        let open: Vec<PathBuf> = self.documents.keys().cloned().collect();
        let mut checked: HashSet<PathBuf> = HashSet::new();
        let mut diagnostics: Vec<(Uri, Option<i32>, Vec<Diagnostic>)> = Vec::new();
        let mut config_problems: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for path in &open {
            let Some(folder) = path.parent() else {
                continue;
            };
            if is_config(path) {
                continue;
            }
            // A broken config is shown in the config file; its plans get one diagnostic saying
            // why they are not checked.
            let key = match self.project_key(folder) {
                Ok(key) => key,
                Err(error) => {
                    if let Some((config, problems)) =
                        diagnostics::config_error(&error, folder, &self.documents)
                    {
                        config_problems.insert(config, problems);
                    }
                    continue;
                }
            };
            if checked.insert(key.clone())
                && let Some(project) = self.projects.get_mut(&key)
            {
                if !project.contains(path) && is_plan(path) {
                    project.discover();
                }
                project.check(&self.documents, today);
            }
        }
        for path in &open {
            if is_config(path) {
                continue;
            }
            let document = &self.documents[path];
            let found = match path.parent().and_then(|folder| self.folders.get(folder)) {
                Some(Ok(key)) => self.projects.get(key).map_or_else(Vec::new, |project| {
                    diagnostics::of_document(project, path, document, &self.documents)
                }),
                Some(Err(message)) => vec![Diagnostic {
                    range: Range::default(),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("plan-lint".into()),
                    message: format!("plan-lint cannot check this plan: {message}"),
                    ..Default::default()
                }],
                None => Vec::new(),
            };
            diagnostics.push((document.uri.clone(), Some(document.version), found));
        }
        let mut now_published = HashSet::new();
        for (uri, version, found) in diagnostics {
            if let Some(path) = uri::to_path(&uri) {
                now_published.insert(real(&path));
            }
            self.publish_one(uri, version, found);
        }
        for gone in self
            .published
            .difference(&now_published)
            .cloned()
            .collect::<Vec<_>>()
        {
            if let Some(uri) = uri::from_path(&gone) {
                self.publish_one(uri, None, Vec::new());
            }
        }
        self.published = now_published;
        let mut configs = HashSet::new();
        for (config, problems) in config_problems {
            if let Some(uri) = uri::from_path(&config) {
                self.publish_one(uri, None, problems);
                configs.insert(config);
            }
        }
        for fixed in self
            .config_published
            .difference(&configs)
            .cloned()
            .collect::<Vec<_>>()
        {
            if let Some(uri) = uri::from_path(&fixed) {
                self.publish_one(uri, None, Vec::new());
            }
        }
        self.config_published = configs;
    }

    fn publish_one(&self, uri: Uri, version: Option<i32>, diagnostics: Vec<Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            notification::PublishDiagnostics::METHOD.into(),
            params,
        ));
    }

    fn log(&self, kind: MessageType, message: &str) {
        self.send(Notification::new(
            notification::LogMessage::METHOD.into(),
            LogMessageParams {
                typ: kind,
                message: message.to_owned(),
            },
        ));
    }

    fn send(&self, message: impl Into<Message>) {
        // A client that has gone away ends the loop on the next read.
        let _ = self.connection.sender.send(message.into());
    }

    /// An open document's text, else the file's (for plans not open), within the size cap.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        state::text_of(path, &self.documents)
    }
}

/// The path as the file system resolves it (plans are known by their real paths).
pub fn real(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

fn is_config(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("plan-lint.toml" | ".plan-lint.toml")
    )
}

fn is_plan(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(plan_engine::discover::is_plan_file_name)
}

pub fn today() -> jiff::civil::Date {
    TODAY.get().copied().unwrap_or_else(plan_engine::today_utc)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}
