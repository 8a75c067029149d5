;;; dockerfile-stages-lsp-mode.el --- dockerfile-stages through lsp-mode  -*- lexical-binding: t -*-

;; Needs: lsp-mode (`apt-get install elpa-lsp-mode' or MELPA), a Dockerfile major mode
;; (dockerfile-mode or dockerfile-ts-mode), and `dockerfile-stages' on PATH.
;; lsp-mode ships a client for rcjsuen's server on the same modes (dockerfile-ls); the
;; :priority below makes this one win, and :add-on? lets both run if you prefer.
;; tests/editors/test_emacs.py loads this file and checks the client is registered.

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(dockerfile-mode . "dockerfile"))
  (add-to-list 'lsp-language-id-configuration '(dockerfile-ts-mode . "dockerfile"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection '("dockerfile-stages" "serve"))
    :activation-fn (lsp-activate-on "dockerfile")
    :major-modes '(dockerfile-mode dockerfile-ts-mode)
    :priority 1
    :initialization-options '(:dockerfileStages (:diagnostics (:delayMs 150)))
    :server-id 'dockerfile-stages)))

(add-hook 'dockerfile-mode-hook #'lsp-deferred)
(add-hook 'dockerfile-ts-mode-hook #'lsp-deferred)

;;; dockerfile-stages-lsp-mode.el ends here
