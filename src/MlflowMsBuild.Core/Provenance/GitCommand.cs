using System.Diagnostics;
using System.Text;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>
/// Runs the <c>git</c> command line found on PATH, for the repository states libgit2 cannot read. Each call is one
/// process (a few milliseconds on Linux, tens on Windows). Git never prompts (<c>GIT_TERMINAL_PROMPT=0</c>) and takes no
/// optional locks (<c>GIT_OPTIONAL_LOCKS=0</c>: <c>git status</c> does not rewrite the index under the user's own git).
/// </summary>
internal static class GitCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The full path of <c>git</c> (<c>git.exe</c> on Windows) on PATH, or null.</summary>
    public static string? FindOnPath(string? path = null)
    {
        var name = OperatingSystem.IsWindows() ? "git.exe" : "git";
        foreach (var folder in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder.Trim('"'), name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <c>git</c> with <paramref name="arguments"/> in <paramref name="directory"/>; the exit code and standard output
    /// (bytes, as git wrote them). Throws MLF1016 when git cannot be started or exceeds two minutes.
    /// </summary>
    public static (int ExitCode, byte[] Output, string Error) Run(string git, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(git)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new MlflowException(MlfError.GitCommandFailed, e, Describe(arguments), directory, -1, e.Message);
        }

        using (process)
        {
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new MlflowException(MlfError.GitCommandFailed, Describe(arguments), directory, -1, $"no answer within {Timeout.TotalSeconds:0} s");
            }

            copy.GetAwaiter().GetResult();
            return (process.ExitCode, output.ToArray(), error.GetAwaiter().GetResult().Trim());
        }
    }

    /// <summary>Like <see cref="Run"/>, but a non-zero exit is MLF1016 with git's own message; the output as UTF-8 text.</summary>
    public static string RunText(string git, string directory, params string[] arguments)
    {
        var (exitCode, output, error) = Run(git, directory, arguments);
        return exitCode == 0
            ? Encoding.UTF8.GetString(output)
            : throw new MlflowException(MlfError.GitCommandFailed, Describe(arguments), directory, exitCode, error);
    }

    public static string Describe(string[] arguments) => "git " + string.Join(' ', arguments);
}
