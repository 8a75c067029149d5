;;; eglot_check.el --- headless Emacs + eglot with editors/emacs/dockerfile-stages-eglot.el  -*- lexical-binding: t -*-
;; WORK_DIR=... OUT_JSON=... SNIPPET=... emacs --batch -Q -l eglot_check.el
;; Writes {"checks": {NAME: {"ok": BOOL, "detail": ...}}, "emacs": VERSION} to OUT_JSON.

(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (expand-file-name "elpa" (getenv "WORK_DIR")))
(package-initialize)  ; -Q skips it; Debian's elpa-* packages need it
(require 'json)
(require 'eglot)
(require 'flymake)
(require 'dockerfile-mode)
(load (getenv "SNIPPET") nil t)

(defvar check-results nil)

(defun check (name ok detail)
  (push (cons name `((ok . ,(if ok t :json-false)) (detail . ,detail))) check-results))

(defun wait-until (predicate seconds)
  (let ((deadline (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    value))

(defun goto-line-column (line column)
  (goto-char (point-min)) (forward-line (1- line)) (forward-char column))

(defun write-results (&optional error)
  (with-temp-file (getenv "OUT_JSON")
    (insert (json-encode `((checks . ,check-results) (emacs . ,emacs-version)
                           ,@(when error `((error . ,(format "%S" error))))))))
  (kill-emacs 0))

(let* ((dir (file-name-as-directory (getenv "WORK_DIR")))
       (file (expand-file-name "Dockerfile" dir)))
  (with-temp-file file
    (insert "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\n"
            "FROM alpine:3.19\nCOPY --from=buld /out/app /app\nCOPY --from= /out/app /app2\n"))
  (condition-case err
      (progn
        (find-file file)
        ;; eglot-ensure (from the snippet's hook) connects after the next command: run it by hand
        (run-hooks 'post-command-hook)
        (let ((server (wait-until #'eglot-current-server 30)))
          (check 'attached (and server t) (if server (format "%s" (eglot--major-modes server)) "no server"))
          (unless server (error "eglot did not connect")))
        ;; completion after COPY --from= through eglot's completion-at-point function
        (goto-line-column 6 (length "COPY --from="))
        (let* ((capf (eglot-completion-at-point))
               (labels (and capf (all-completions "" (nth 2 capf)))))
          (check 'completion (member "build" labels) labels))
        ;; the unknown stage, as flymake shows it
        (let ((messages (wait-until
                         (lambda ()
                           (let ((all (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
                             (and (seq-some (lambda (m) (string-match-p "No stage is named 'buld'" m)) all) all)))
                         20)))
          (check 'diagnostics (and messages t) (or messages (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))
        ;; hover on the base image: its size from the bundled snapshot
        (goto-line-column 1 7)
        (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                       (eglot--TextDocumentPositionParams)))
               (text (plist-get (plist-get hover :contents) :value)))
          (check 'hover (and text (string-match-p "golang:1.22" text) (string-match-p "MB" text)) (or text "")))
        ;; definition of the stage name in COPY --from= through xref
        (goto-line-column 5 (length "COPY --from="))
        (delete-char 4) (insert "build")
        (eglot--signal-textDocument/didChange)
        (let* ((xrefs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
               (line (and xrefs (xref-location-line (xref-item-location (car xrefs))))))
          (check 'definition (eql line 1) (format "%S" line)))
        ;; the edit fixed the unknown stage: its warning goes away
        (let ((gone (wait-until
                     (lambda ()
                       (not (seq-some (lambda (d) (string-match-p "'buld'" (flymake-diagnostic-text d)))
                                      (flymake-diagnostics))))
                     20)))
          (check 'diagnostics_after_edit gone (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
        (eglot-shutdown (eglot-current-server))
        (write-results))
    (error (write-results err))))
