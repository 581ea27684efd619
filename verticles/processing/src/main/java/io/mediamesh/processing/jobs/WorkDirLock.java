package io.mediamesh.processing.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * An instance's folder under {@code workDir} is held by a file lock for the instance's life, so the next instance to
 * start on the host can tell a folder left by one that died (its lock is free: the operating system released it with
 * the process) from one in use, and removes the first kind: a crash leaves no sources or segments on disk for long.
 * Blocking: call on a worker.
 */
final class WorkDirLock implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkDirLock.class);
  private static final String LOCK = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private WorkDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir} (which exists) for this instance. */
  static WorkDirLock hold(Path dir) throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return new WorkDirLock(channel, channel.lock());
  }

  /** Removes the folders under {@code root} (but {@code own}) whose lock nobody holds. */
  static void removeAbandoned(Path root, Path own) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).filter(d -> !d.equals(own)).toList();
    }
    for (Path dir : dirs) {
      Path lockFile = dir.resolve(LOCK);
      if (!Files.exists(lockFile)) {
        continue;
      }
      boolean abandoned;
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
           FileLock probe = channel.tryLock()) {
        abandoned = probe != null;
      } catch (OverlappingFileLockException e) {
        abandoned = false; // held by another instance in this JVM
      }
      if (abandoned) {
        LOG.info("removing {}, left by a processing instance that stopped without cleaning up", dir);
        JobRunner.deleteTree(dir);
      }
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
