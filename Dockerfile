# The Roomcast image: one runnable jar with every component (./roomcast SUBCOMMAND).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package -pl launcher -am

FROM eclipse-temurin:17-jre
COPY --from=build /src/launcher/target/roomcast.jar /opt/roomcast/roomcast.jar
# An edge that ran out of memory exits (and the orchestrator restarts it) instead of serving nothing.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-Xmn24m", "-XX:MetaspaceSize=128m", "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000", "-jar", "/opt/roomcast/roomcast.jar"]
CMD ["--help"]
