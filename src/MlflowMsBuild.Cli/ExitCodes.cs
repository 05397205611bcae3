using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Cli;

/// <summary>The exit codes of <c>mlflow-models</c>, by what a script can do about the failure (README, "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Unknown command or option, missing argument, malformed model URI or value.</summary>
    public const int Usage = 1;

    /// <summary>No such model, version, model folder or lock file.</summary>
    public const int NotFound = 2;

    /// <summary>Names, versions, the registry setting or publish inputs that cannot be used.</summary>
    public const int InvalidInput = 3;

    /// <summary>The cache, the lock file or offline mode: damage, lock timeout, not cached while offline.</summary>
    public const int Cache = 4;

    /// <summary>Credentials missing or refused.</summary>
    public const int Credentials = 5;

    /// <summary>The registry failed: server error, network, an unusable version, a publish that failed part-way.</summary>
    public const int Registry = 6;

    /// <summary>A check found a generated file out of date: <c>report --check</c> (MLF2070).</summary>
    public const int OutOfDate = 8;

    /// <summary>A local file operation failed (permissions, disk).</summary>
    public const int FileSystem = 9;

    /// <summary>A bug in the tool (sysexits' EX_SOFTWARE).</summary>
    public const int Internal = 70;

    /// <summary>Canceled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Canceled = 130;

    public static int For(MlfError error) => error switch
    {
        MlfError.ModelUriInvalid or MlfError.ModelLocationUnsupported or MlfError.ModelUriVersionMissing or MlfError.CommandValueInvalid
            or MlfError.CommandLineInvalid or MlfError.ModelPathDestination => Usage,
        MlfError.UnknownModel or MlfError.UnknownVersion or MlfError.UnknownAlias or MlfError.UnknownModelNoneExist
            or MlfError.ModelPathNotFound or MlfError.ModelPathNotADirectory or MlfError.LockFileMissing => NotFound,
        MlfError.Unauthenticated or MlfError.PermissionDenied => Credentials,
        MlfError.RegistryEntryCorrupt or MlfError.VersionIncomplete or MlfError.PublishFailed => Registry,
        MlfError.OfflineNeedsRegistry => Cache,
        MlfError.ReportOutOfDate => OutOfDate,
        _ => ((int)error / 1000) switch
        {
            1 or 4 or 7 => InvalidInput,
            3 => Cache,
            5 => Credentials,
            2 or 6 => Registry,
            _ => FileSystem,
        },
    };
}
