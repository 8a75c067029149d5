# Stand-in for gcr.io/distroless/static-debian12: no shell, no libc; passwd/group with root,
# nobody and nonroot, CA certificates, time zones, /tmp.
FROM localhost/debian:bookworm-slim AS files
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /out/etc/ssl/certs /out/usr/share /out/tmp /out/home/nonroot && chmod 1777 /out/tmp \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > /out/etc/passwd \
 && printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > /out/etc/group \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ && cp -r /usr/share/zoneinfo /out/usr/share/ \
 && chown 65532:65532 /out/home/nonroot
FROM scratch
COPY --from=files /out/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
