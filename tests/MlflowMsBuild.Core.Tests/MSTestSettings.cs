// Every test owns its temporary folders, so tests can run in parallel.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]
