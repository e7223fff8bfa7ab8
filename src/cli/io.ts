// What a command may touch of its process: the output streams and the environment. Passed in, so
// tests run commands in-process with their own streams.

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}
