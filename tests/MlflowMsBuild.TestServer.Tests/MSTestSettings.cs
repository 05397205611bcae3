// Every test starts its own server on a free port with its own data folder, so tests can run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
