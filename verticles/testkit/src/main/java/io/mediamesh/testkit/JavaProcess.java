package io.mediamesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A jar run as its own JVM (a real separate process), output to a log file, stopped with SIGTERM. */
public final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private JavaProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static JavaProcess start(Path jar, List<String> args, Map<String, String> env, Path workDir, Path log) {
    return start(jar, List.of("-Xmx512m"), args, env, workDir, log);
  }

  public static JavaProcess start(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env,
                                  Path workDir, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
      .redirectErrorStream(true).redirectOutput(log.toFile());
    // the child gets exactly the MEDIAMESH_* settings given here, none inherited from the test's environment
    builder.environment().keySet().removeIf(k -> k.startsWith("MEDIAMESH_"));
    builder.environment().put("MEDIAMESH_OPS_TOKEN", TestInfra.OPS_TOKEN);
    builder.environment().putAll(env);
    try {
      Files.createDirectories(workDir);
      return new JavaProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Sends SIGTERM and waits; returns the exit code, or throws if it did not exit in time. */
  public int terminate(long timeoutSeconds) {
    process.destroy();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("process did not exit within " + timeoutSeconds + " s of SIGTERM");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the JVM at once (SIGKILL: no shutdown hook, nothing drained), as a crash or an OOM killer would. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("process did not die within 30 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
