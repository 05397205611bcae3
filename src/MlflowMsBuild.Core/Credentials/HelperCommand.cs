using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// python-gitlab's <c>helper: &lt;command&gt;</c> values: the command is split like <c>shlex.split</c>, each word gets
/// <c>$VARIABLE</c> then <c>~</c> expansion, and the program runs directly, without a shell (as
/// <c>subprocess.check_output</c> does); its standard output, decoded as UTF-8 and stripped, is the value.
/// Unlike python-gitlab it gives up after <see cref="CredentialEnvironment.HelperTimeout"/>, and an empty output is
/// an error rather than a silently empty token.
/// </summary>
internal static class HelperCommand
{
    public const string Prefix = "helper:";

    private const int MaxErrorOutput = 500;

    /// <summary>python-gitlab's test: <c>value.lower().strip().startswith("helper:")</c>.</summary>
    public static bool IsHelper(string value) =>
        PythonText.Strip(value).StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the helper in <paramref name="value"/> and returns its stripped output.</summary>
    /// <param name="fail">Builds the error from a reason (which never holds the output).</param>
    public static Secret Run(string value, CredentialEnvironment environment, Func<string, Exception> fail)
    {
        var command = PythonText.Strip(PythonText.Strip(value)[Prefix.Length..]);
        List<string> words;
        try
        {
            words = PythonText.ShlexSplit(command);
        }
        catch (FormatException ex)
        {
            throw fail($"its command cannot be split into words ({ex.Message})");
        }

        if (words.Count == 0)
        {
            throw fail("there is no command after 'helper:'");
        }

        var programAsWritten = words[0];
        var arguments = words
            .Select(w => PythonText.ExpandUser(
                PythonText.ExpandVars(w, environment.GetRawVariable, environment.WindowsRules),
                environment.HomeDirectory,
                environment.WindowsRules))
            .ToList();

        var program = ResolveProgram(arguments[0], environment, programAsWritten, fail);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = environment.WorkingDirectory,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw fail(ex.NativeErrorCode switch
            {
                2 or 3 => $"the program '{programAsWritten}' was not found",
                5 or 13 => $"the program '{programAsWritten}' cannot be run (permission denied; is it executable?)",
                8 => $"the program '{programAsWritten}' cannot be run (not an executable file; a script needs a #! line)",
                _ => $"the program '{programAsWritten}' could not be started (error {ex.NativeErrorCode.ToString(CultureInfo.InvariantCulture)})",
            });
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var timeout = environment.HelperTimeout;
        var watch = Stopwatch.StartNew();
        if (!process.WaitForExit(timeout) || !Task.WaitAll([output, errors], Remaining(timeout, watch)))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }

            throw fail($"it did not finish within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds");
        }

        var result = PythonText.Strip(output.Result);
        if (process.ExitCode != 0)
        {
            var stderr = PythonText.Strip(errors.Result);
            if (result.Length > 0)
            {
                stderr = stderr.Replace(result, Secret.Redacted, StringComparison.Ordinal);
            }

            if (stderr.Length > MaxErrorOutput)
            {
                stderr = stderr[..MaxErrorOutput] + "...";
            }

            throw fail(stderr.Length == 0
                ? $"it exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}"
                : $"it exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} and said: {stderr}");
        }

        if (result.Length == 0)
        {
            throw fail("it printed nothing on its standard output");
        }

        return new Secret(result);
    }

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch watch)
    {
        var left = timeout - watch.Elapsed;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The program as <c>execvp</c> finds it on Unix: a name with a <c>/</c> is a path (relative to the working
    /// folder), any other name is looked up in <c>PATH</c>. On Windows the name is left to the system.
    /// </summary>
    private static string ResolveProgram(string program, CredentialEnvironment environment, string asWritten, Func<string, Exception> fail)
    {
        if (environment.WindowsRules || !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return program;
        }

        if (program.Contains('/'))
        {
            return environment.FullPath(program);
        }

        var path = environment.GetRawVariable("PATH") ?? "/bin:/usr/bin";
        string? notExecutable = null;
        foreach (var folder in path.Split(':'))
        {
            var candidate = Path.Combine(folder.Length == 0 ? environment.WorkingDirectory : environment.FullPath(folder), program);
            if (!File.Exists(candidate))
            {
                continue;
            }

            if ((File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }

            notExecutable ??= candidate;
        }

        throw fail(notExecutable is null
            ? $"the program '{asWritten}' was not found in PATH"
            : $"the program '{asWritten}' was found but is not executable");
    }
}
