FROM gradle:8-jdk21
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/home/gradle/project/build/libs/app.jar"]
