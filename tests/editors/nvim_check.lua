-- Drives dockerfile-stages from headless Neovim 0.11 through the README's config snippet.
-- Env: CONFIG (the snippet), WORK_DIR (where the Dockerfile is written), OUT_JSON (results).
local TIMEOUT = 20000
local results = { checks = {} }
local function check(name, ok, detail)
  results.checks[name] = { ok = ok and true or false, detail = detail }
end
local function finish(code)
  local f = assert(io.open(os.getenv('OUT_JSON'), 'w'))
  f:write(vim.json.encode(results))
  f:close()
  for _, c in pairs(vim.lsp.get_clients()) do c:stop() end
  vim.wait(3000, function() return #vim.lsp.get_clients() == 0 end, 50)
  vim.cmd(code == 0 and 'qall!' or 'cquit ' .. code)
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT) or {}
  for _, r in pairs(responses) do
    if r.err then return nil, r.err end
    return r.result
  end
end

local function main()
  dofile(os.getenv('CONFIG'))
  -- a Compose file that builds the stage (never opened: the server finds it in the workspace)
  local compose_path = os.getenv('WORK_DIR') .. '/compose.yaml'
  local cf = assert(io.open(compose_path, 'w'))
  cf:write('services:\n  app:\n    build:\n      context: .\n      target: builder\n')
  cf:close()
  local path = os.getenv('WORK_DIR') .. '/Dockerfile'
  local f = assert(io.open(path, 'w'))
  f:write(table.concat({
    'FROM golang:1.21 AS builder',
    'RUN CGO_ENABLED=0 go build -o /app',
    'FROM scratch',
    'COPY --from=buidler /app /app',
    'COPY --from= /x /x',
    '',
  }, '\n'))
  f:close()
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'dockerfile'
  local attached = vim.wait(TIMEOUT, function() return #vim.lsp.get_clients({ bufnr = bufnr }) > 0 end, 50)
  check('attached', attached)
  if not attached then return finish(1) end
  local uri = vim.uri_from_bufnr(bufnr)
  local doc = { uri = uri }

  -- diagnostics after open: the typo in --from=buidler
  local function diag_with(pattern)
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.message:find(pattern, 1, true) then return d end
    end
  end
  check('diagnostics', vim.wait(TIMEOUT, function() return diag_with("Did you mean 'builder'") ~= nil end, 50))

  -- completion after COPY --from=
  local comp = request(bufnr, 'textDocument/completion', { textDocument = doc, position = { line = 4, character = 12 } })
  local labels = {}
  for _, item in ipairs((comp and (comp.items or comp)) or {}) do table.insert(labels, item.label) end
  results.completion = labels
  check('completion', #labels == 1 and labels[1] == 'builder', labels)

  -- definition of the stage from a reference (fix the typo first, in the buffer: an incremental edit)
  vim.api.nvim_buf_set_text(bufnr, 3, 12, 3, 19, { 'builder' })
  check('diagnostics_after_edit', vim.wait(TIMEOUT, function() return diag_with("Did you mean") == nil end, 50))
  local def = request(bufnr, 'textDocument/definition', { textDocument = doc, position = { line = 3, character = 14 } })
  if def and def[1] then def = def[1] end
  check('definition', def ~= nil and def.range.start.line == 0 and def.range.start.character == 20, def)

  -- hover on the reference
  local hover = request(bufnr, 'textDocument/hover', { textDocument = doc, position = { line = 3, character = 14 } })
  local text = hover and hover.contents and (hover.contents.value or hover.contents) or ''
  check('hover', type(text) == 'string' and text:find('stage `builder`', 1, true) ~= nil, text)

  -- references reach the Compose file once the server's workspace scan has found it
  local across = vim.wait(TIMEOUT, function()
    local refs = request(bufnr, 'textDocument/references', {
      textDocument = doc, position = { line = 0, character = 22 }, context = { includeDeclaration = true },
    }) or {}
    for _, r in ipairs(refs) do
      if r.uri == vim.uri_from_fname(compose_path) and r.range.start.line == 4 and r.range.start.character == 14 then
        return true
      end
    end
    return false
  end, 200)
  check('references_across_files', across)

  -- rename through Neovim's own workspace-edit machinery
  local edit = request(bufnr, 'textDocument/rename', { textDocument = doc, position = { line = 0, character = 22 }, newName = 'compile' })
  if edit then vim.lsp.util.apply_workspace_edit(edit, 'utf-16') end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  results.after_rename = lines
  check('rename', lines[1] == 'FROM golang:1.21 AS compile' and lines[4] == 'COPY --from=compile /app /app', lines)
  local compose_buf = vim.fn.bufadd(compose_path)
  vim.fn.bufload(compose_buf)
  local compose_lines = vim.api.nvim_buf_get_lines(compose_buf, 0, -1, false)
  results.compose_after_rename = compose_lines
  check('rename_across_files', compose_lines[5] == '      target: compile', compose_lines)

  -- the server followed the rename edits: completion now offers the new name
  local comp2 = request(bufnr, 'textDocument/completion', { textDocument = doc, position = { line = 4, character = 12 } })
  local labels2 = {}
  for _, item in ipairs((comp2 and (comp2.items or comp2)) or {}) do table.insert(labels2, item.label) end
  check('completion_after_edit', #labels2 == 1 and labels2[1] == 'compile', labels2)

  -- editor features: instruction snippets on an empty line, a variable's value on hover, formatting
  vim.api.nvim_buf_set_lines(bufnr, 5, 6, false, { '', 'ARG VERSION=1.2', 'RUN echo $VERSION', '  run echo hi   ' })
  local comp3 = request(bufnr, 'textDocument/completion', { textDocument = doc, position = { line = 5, character = 0 } })
  local snippets = {}
  for _, item in ipairs((comp3 and (comp3.items or comp3)) or {}) do
    -- the text an item inserts, as Neovim reads it (its own range, or the list's itemDefaults.editRange)
    local text = (item.textEdit and item.textEdit.newText) or item.textEditText or item.insertText or item.label
    if item.insertTextFormat == 2 then snippets[item.label] = text end
  end
  results.instruction_snippets = snippets
  check('instruction_completion', snippets['FROM'] == 'FROM ${1:image} AS ${2:name}' and snippets['RUN'] ~= nil, snippets)
  local vhover = request(bufnr, 'textDocument/hover', { textDocument = doc, position = { line = 7, character = 12 } })
  local vtext = vhover and vhover.contents and (vhover.contents.value or vhover.contents) or ''
  check('variable_hover', type(vtext) == 'string' and vtext:find('**$VERSION** = `1.2`', 1, true) == 1, vtext)
  vim.lsp.buf.format({ bufnr = bufnr, async = false, timeout_ms = TIMEOUT })
  local formatted = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  results.after_format = formatted
  check('formatting', formatted[9] == 'RUN echo hi' and formatted[8] == 'RUN echo $VERSION', formatted)
  finish(0)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  results.error = tostring(err)
  finish(2)
end
