-- One scripted session of Neovim's built-in LSP client with `plan-lint server`:
-- open a plan, wait for diagnostics, hover, ask for code actions, then quit.
-- nvim --headless --clean -u NONE -l? (0.7 has no -l): run with `-c "luafile session.lua"`.
-- Reads PLAN_LINT_BIN, PLAN_FILE and RESULT from the environment; writes RESULT as JSON.
local bin = os.getenv("PLAN_LINT_BIN")
local file = os.getenv("PLAN_FILE")
local result = os.getenv("RESULT")
local out = {}

local client_id = vim.lsp.start_client({
  name = "plan-lint",
  cmd = { bin, "server", "--today", "2026-11-25" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
vim.cmd("edit " .. file)
vim.lsp.buf_attach_client(0, client_id)
out.attached = vim.lsp.buf_is_attached(0, client_id)

vim.wait(10000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { line = d.lnum, col = d.col, code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code, message = d.message })
end

-- Hover on the invalid `rag` value.
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
for number, text in ipairs(lines) do
  local at = text:find('rag = "')
  if at then
    local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = number - 1, character = at + 6 } }
    local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 5000)
    local answer = hover and hover[client_id] and hover[client_id].result
    out.hover = answer and answer.contents and answer.contents.value or ""
    params.range = { start = params.position, ["end"] = params.position }
    params.context = { diagnostics = {} }
    local actions = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 5000)
    out.actions = {}
    for _, action in ipairs(actions and actions[client_id] and actions[client_id].result or {}) do
      table.insert(out.actions, action.title)
    end
    break
  end
end

vim.fn.writefile({ vim.fn.json_encode(out) }, result)
vim.lsp.stop_client(client_id)
vim.wait(2000, function()
  return vim.lsp.client_is_stopped(client_id)
end, 50)
vim.cmd("qa!")
