# The Roomcast image: one runnable jar with every component (./roomcast SUBCOMMAND).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package -pl launcher -am

FROM eclipse-temurin:17-jre
COPY --from=build /src/launcher/target/roomcast.jar /opt/roomcast/roomcast.jar
# The JVM options ./roomcast starts every process with (an edge that runs out of memory exits, and
# the orchestrator restarts it, instead of serving nothing): why each, in the file's comments.
COPY --from=build /src/ws-edge/src/main/resources/roomcast/jvm.options /opt/roomcast/jvm.options
ENTRYPOINT ["java", "@/opt/roomcast/jvm.options", "-jar", "/opt/roomcast/roomcast.jar"]
CMD ["--help"]
