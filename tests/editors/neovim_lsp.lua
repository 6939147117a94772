-- Headless Neovim as a real LSP client of `kerascheck server` (driven by tests/test_server_neovim.py).
-- Environment: KC_FILE (the buggy script), KC_SERVER (JSON list: the server command), KC_START
-- ("start" = vim.lsp.start, Neovim >= 0.8; "start_client" = vim.lsp.start_client + buf_attach_client, 0.7),
-- KC_RESULT (a file: JSON of what happened, read by the test).
local file, start = os.getenv("KC_FILE"), os.getenv("KC_START")
local cmd = vim.json.decode(os.getenv("KC_SERVER"))
local result = { steps = {} }

local function finish(ok, why)
  result.ok, result.why = ok, why
  local out = io.open(os.getenv("KC_RESULT"), "w")
  out:write(vim.json.encode(result))
  out:close()
  vim.cmd(ok and "qall!" or "cquit! 1")
end

local function wait_diagnostics(buf, want_any, what)
  local ok = vim.wait(30000, function()
    local n = #vim.diagnostic.get(buf)
    return (want_any and n > 0) or (not want_any and n == 0)
  end, 20)
  table.insert(result.steps, what)
  if not ok then finish(false, "timed out: " .. what) end
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = { name = "kerascheck", cmd = cmd, root_dir = vim.fn.fnamemodify(file, ":h"),
                 init_options = { debounce = 0.05 } }
local client_id
if start == "start" then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
if not client_id then finish(false, "the client did not start") end

wait_diagnostics(buf, true, "diagnostics on open")
local found = vim.diagnostic.get(buf)[1]
result.code, result.source, result.lnum, result.col = found.code, found.source, found.lnum, found.col
local client = vim.lsp.get_client_by_id(client_id)
result.offset_encoding = client.offset_encoding

-- Ask for code actions on the finding; the noqa one must be there.
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = found.lnum, character = found.col },
            ["end"] = { line = found.end_lnum, character = found.end_col } },
  context = { diagnostics = { found.user_data.lsp } },
}
local response = client.request_sync("textDocument/codeAction", params, 10000, buf)
if not response or response.err then finish(false, "codeAction failed") end
result.actions = {}
local noqa
for _, action in ipairs(response.result or {}) do
  table.insert(result.actions, action.title)
  if action.title:match("^Disable") then noqa = action end
end

-- Edit the buffer to fix the bug: the diagnostics clear.
local line = vim.api.nvim_buf_get_lines(buf, found.lnum, found.lnum + 1, false)[1]
vim.api.nvim_buf_set_lines(buf, found.lnum, found.lnum + 1, false, { (line:gsub('"accuracy"', '"mae"')) })
wait_diagnostics(buf, false, "cleared after the fix")

-- Put the bug back, then apply the noqa action the server offered: cleared again.
vim.api.nvim_buf_set_lines(buf, found.lnum, found.lnum + 1, false, { line })
wait_diagnostics(buf, true, "back after undoing the fix")
if not noqa then finish(false, "no noqa action") end
vim.lsp.util.apply_workspace_edit(noqa.edit, client.offset_encoding)
result.noqa_line = vim.api.nvim_buf_get_lines(buf, found.lnum, found.lnum + 1, false)[1]
wait_diagnostics(buf, false, "cleared by the noqa action")

vim.lsp.stop_client(client_id)
vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
finish(true, "")
