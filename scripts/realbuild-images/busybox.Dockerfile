# Stand-in for busybox:stable: Debian's static busybox with its applets linked in /bin, a shell and
# passwd/group with root and nobody; no C library.
FROM localhost/debian:bookworm-slim AS files
RUN apt-get update && apt-get install -y --no-install-recommends busybox-static && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /out/bin /out/etc /out/tmp && chmod 1777 /out/tmp && cp /bin/busybox /out/bin/busybox \
 && for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -s busybox "/out/bin/$applet"; done \
 && printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > /out/etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\n' > /out/etc/group
FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["sh"]
