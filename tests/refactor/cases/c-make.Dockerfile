FROM gcc:13
WORKDIR /opt/proj
COPY . .
RUN make -j4
CMD ["/opt/proj/bin/server"]
