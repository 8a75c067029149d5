;;; dockerfile-stages-eglot.el --- dockerfile-stages through eglot  -*- lexical-binding: t -*-

;; Needs: eglot (built into Emacs 29; on Emacs 28 `apt-get install elpa-eglot' or
;; M-x package-install RET eglot), a Dockerfile major mode (dockerfile-mode:
;; `apt-get install elpa-dockerfile-mode' or MELPA; or Emacs 29's dockerfile-ts-mode),
;; and `dockerfile-stages' on PATH (pip install dockerfile-stages).
;; Load this file from your init file, or paste it there.
;; tests/editors/test_emacs.py loads this very file in a headless Emacs.

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((dockerfile-mode dockerfile-ts-mode)
                 . ("dockerfile-stages" "serve"
                    ;; any server setting, as in the README's settings table
                    :initializationOptions (:dockerfileStages (:diagnostics (:delayMs 150)))))))

(add-hook 'dockerfile-mode-hook #'eglot-ensure)
(add-hook 'dockerfile-ts-mode-hook #'eglot-ensure)

;;; dockerfile-stages-eglot.el ends here
