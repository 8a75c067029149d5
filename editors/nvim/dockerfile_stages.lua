-- dockerfile-stages for Neovim 0.11+ (the snippet the README shows and the Neovim test loads).
vim.lsp.config('dockerfile_stages', {
  cmd = { 'dockerfile-stages', 'serve' },
  filetypes = { 'dockerfile' },
  root_markers = { '.git', 'compose.yaml', 'docker-bake.hcl' },
  init_options = { dockerfileStages = { diagnostics = { delayMs = 150 } } },
})
vim.lsp.enable('dockerfile_stages')
