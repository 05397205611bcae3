using System.Runtime.InteropServices;
using MlflowMsBuild.TestServer;

// Runs the test server as a program, for manual checks and out-of-process tests:
//   --flavor mlflow|gitlab   --urls http://127.0.0.1:5080   --data DIR
//   --token NAME=VALUE:scope[,scope]   GitLab scopes: api, read_api, or job (a CI job token);
//                                      MLflow: NAME=VALUE:bearer (token VALUE) or USER=PASSWORD:basic
//   --project group/name (GitLab, repeatable; default group/project)   --public-project group/name
//   --version-increment patch|major   --object-storage   --relative-url-root /gitlab
// Stops on SIGTERM or Ctrl+C (SIGINT) and deletes its temporary data folder. Exit codes: 0 stopped by a signal,
// 2 bad arguments, 1 the address cannot be listened on (e.g. the port is taken); each failure is one line on stderr.
try
{
    return await RunAsync(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 2;
}
catch (IOException e)
{
    // Kestrel's "Failed to bind to address …: address already in use."
    await Console.Error.WriteLineAsync($"error: cannot listen: {e.Message}");
    return 1;
}

static async Task<int> RunAsync(string[] args)
{
    var options = new TestServerOptions { Url = "http://127.0.0.1:5080" };
    var tokens = new List<(string Name, string Value, string[] Scopes)>();
    var projects = new List<(string Path, bool IsPublic)>();
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--flavor": options.Flavor = Next().ToLowerInvariant() == "gitlab" ? RegistryFlavor.GitLab : RegistryFlavor.Mlflow; break;
            case "--urls": options.Url = Next().Split(';')[0]; break;
            case "--data": options.DataDirectory = Next(); break;
            case "--project": projects.Add((Next(), false)); break;
            case "--public-project": projects.Add((Next(), true)); break;
            case "--version-increment": options.GitLabVersionIncrement = Next() == "major" ? SemVerIncrement.Major : SemVerIncrement.Patch; break;
            case "--object-storage": options.GitLabObjectStorage = true; break;
            case "--relative-url-root": options.GitLabRelativeUrlRoot = Next(); break;
            case "--token":
                var spec = Next();
                var equals = spec.IndexOf('=');
                var colon = spec.LastIndexOf(':');
                if (equals <= 0 || colon < equals) throw new ArgumentException($"--token wants NAME=VALUE:scope, got '{spec}'.");
                tokens.Add((spec[..equals], spec[(equals + 1)..colon], spec[(colon + 1)..].Split(',')));
                break;
            default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
    foreach (var (name, value, scopes) in tokens.Where(t => options.Flavor == RegistryFlavor.Mlflow))
    {
        if (scopes.Contains("basic")) (options.MlflowUsername, options.MlflowPassword) = (name, value);
        else options.MlflowBearerToken = value;
    }

    var stop = new TaskCompletionSource();
    void Stop(PosixSignalContext context)
    {
        // Canceling the runtime's default (exit at once) lets the server stop and the data folder be deleted.
        context.Cancel = true;
        stop.TrySetResult();
    }
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

    await using var server = await TestRegistryServer.StartAsync(options);
    Console.WriteLine($"{options.Flavor} test server listening on {server.BaseAddress} (data: {server.DataDirectory})");
    if (options.Flavor == RegistryFlavor.GitLab)
    {
        if (projects.Count == 0) projects.Add(("group/sub/project", false));
        foreach (var (path, isPublic) in projects)
        {
            var id = server.AddProject(path, isPublic);
            Console.WriteLine($"project {id} {path}: tracking URI {server.GitLabTrackingUri(id)}");
        }
        foreach (var (name, value, scopes) in tokens)
        {
            if (scopes.Contains("job")) server.AddJobToken(value);
            else server.AddToken(value, scopes);
            Console.WriteLine($"token {name}: {string.Join(',', scopes)}");
        }
    }
    else
    {
        Console.WriteLine($"tracking URI {server.BaseAddress.ToString().TrimEnd('/')}");
    }

    await stop.Task;
    Console.WriteLine("stopping");
    return 0;
}
