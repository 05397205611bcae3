// Every test owns its temporary home, cache and server, so tests can run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
