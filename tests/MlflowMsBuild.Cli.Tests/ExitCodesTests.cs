using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Cli.Tests;

[TestClass]
public sealed class ExitCodesTests
{
    private static readonly int[] Documented = [ExitCodes.Usage, ExitCodes.NotFound, ExitCodes.InvalidInput, ExitCodes.Cache, ExitCodes.Credentials, ExitCodes.Registry, ExitCodes.OutOfDate, ExitCodes.FileSystem];

    [TestMethod]
    public void EveryErrorCode_MapsToADocumentedExitCode()
    {
        foreach (var error in Enum.GetValues<MlfError>())
        {
            CollectionAssert.Contains(Documented, ExitCodes.For(error), error.ToString());
        }
    }

    [TestMethod]
    [DataRow(MlfError.ModelUriInvalid, ExitCodes.Usage)]
    [DataRow(MlfError.ModelLocationUnsupported, ExitCodes.Usage)]
    [DataRow(MlfError.CommandValueInvalid, ExitCodes.Usage)]
    [DataRow(MlfError.CommandLineInvalid, ExitCodes.Usage)]
    [DataRow(MlfError.UnknownModel, ExitCodes.NotFound)]
    [DataRow(MlfError.UnknownModelNoneExist, ExitCodes.NotFound)]
    [DataRow(MlfError.UnknownVersion, ExitCodes.NotFound)]
    [DataRow(MlfError.ModelPathNotFound, ExitCodes.NotFound)]
    [DataRow(MlfError.LockFileMissing, ExitCodes.NotFound)]
    [DataRow(MlfError.VersionSpecInvalid, ExitCodes.InvalidInput)]
    [DataRow(MlfError.RegistrySettingUnsupported, ExitCodes.InvalidInput)]
    [DataRow(MlfError.DirtyWorkingTree, ExitCodes.InvalidInput)]
    [DataRow(MlfError.CacheEntryCorrupt, ExitCodes.Cache)]
    [DataRow(MlfError.OfflineNotCached, ExitCodes.Cache)]
    [DataRow(MlfError.OfflineNeedsRegistry, ExitCodes.Cache)]
    [DataRow(MlfError.CacheMutexTimeout, ExitCodes.Cache)]
    [DataRow(MlfError.GitLabTokenMissing, ExitCodes.Credentials)]
    [DataRow(MlfError.Unauthenticated, ExitCodes.Credentials)]
    [DataRow(MlfError.PermissionDenied, ExitCodes.Credentials)]
    [DataRow(MlfError.ServerError, ExitCodes.Registry)]
    [DataRow(MlfError.ConnectionFailed, ExitCodes.Registry)]
    [DataRow(MlfError.VersionIncomplete, ExitCodes.Registry)]
    [DataRow(MlfError.ReportOutOfDate, ExitCodes.OutOfDate)]
    [DataRow(MlfError.ReportNumberFormatInvalid, ExitCodes.InvalidInput)]
    [DataRow(MlfError.PublishFailed, ExitCodes.Registry)]
    [DataRow(MlfError.FileOperationFailed, ExitCodes.FileSystem)]
    public void ErrorCodes_MapByWhatAScriptCanDo(MlfError error, int exitCode) =>
        Assert.AreEqual(exitCode, ExitCodes.For(error));
}
