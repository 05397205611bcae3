using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Settings;

/// <summary>The one factory of settings: precedence, defaults, booleans, and paths against the base folder.</summary>
[TestClass]
public sealed class MlflowSettingsTests
{
    [TestMethod]
    public void RelativePaths_AreTakenAgainstTheBaseFolder_NotTheCurrentFolder()
    {
        using var folder = new TempDirectory();
        var project = folder.Combine("repo", "project");
        var values = new MlflowSettingValues { Home = "../home", CacheDirectory = "cache-here", LockFile = "locks/models.lock.json", Registry = "../registry" };

        var settings = MlflowSettings.Create(values, Environment(folder, ("MLFLOW_MSBUILD_HOME", "ignored")), project);
        using var registry = settings.OpenRegistry();

        Assert.AreNotEqual(project, System.Environment.CurrentDirectory);
        Assert.AreEqual(project, settings.BaseDirectory);
        Assert.AreEqual(folder.Combine("repo", "home"), settings.Home.Root);
        Assert.AreEqual(Path.Combine(project, "cache-here"), settings.CacheDirectory);
        Assert.AreEqual(Path.Combine(project, "cache-here"), settings.OpenCache().Root);
        Assert.AreEqual(Path.Combine(project, "locks", "models.lock.json"), settings.LockFile);
        Assert.AreEqual(folder.Combine("repo", "registry"), ((LocalRegistry)registry).Root);
        Assert.AreEqual(project, settings.Environment.WorkingDirectory, "credential files named relatively are found from the base folder too");
        Assert.AreEqual(Path.Combine(project, "x"), settings.FullPath("x"));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("sub/cache")]
    public void OpenCache_AtOrUnderAFile_IsMlf3013(string below)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("taken"), "a file");
        var values = new MlflowSettingValues { CacheDirectory = Path.Combine("taken", below) };
        var settings = MlflowSettings.Create(values, Environment(folder), folder.Path);

        var error = MlfAssert.Throws(MlfError.CacheDirectoryNotAFolder, () => settings.OpenCache());

        Assert.Contains($"'{folder.Combine("taken")}' is a file", error.Message);
        Assert.Contains("MlflowCacheDirectory", error.Message);
        Assert.AreEqual("a file", File.ReadAllText(folder.Combine("taken")), "the file is left as it was");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void OpenCache_AtALinkToNothing_SaysItIsALink()
    {
        using var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.Combine("dangling"), folder.Combine("nowhere"));
        var settings = MlflowSettings.Create(new MlflowSettingValues { CacheDirectory = "dangling" }, Environment(folder), folder.Path);

        var error = MlfAssert.Throws(MlfError.CacheDirectoryNotAFolder, () => settings.OpenCache());

        Assert.Contains($"is a symbolic link to '{folder.Combine("nowhere")}'", error.Message);
        Assert.IsFalse(Path.Exists(folder.Combine("nowhere")));
    }

    [TestMethod]
    public void OpenCache_OfAFolderNotMadeYet_CreatesNothing()
    {
        using var folder = new TempDirectory();
        var settings = MlflowSettings.Create(new MlflowSettingValues { CacheDirectory = "not/yet" }, Environment(folder), folder.Path);

        Assert.AreEqual(folder.Combine("not", "yet"), settings.OpenCache().Root);
        Assert.IsFalse(Directory.Exists(folder.Combine("not")));
    }

    [TestMethod]
    public void RelativeHomeVariable_IsTakenAgainstTheBaseFolder()
    {
        using var folder = new TempDirectory();

        var settings = MlflowSettings.Create(new MlflowSettingValues(), Environment(folder, ("MLFLOW_MSBUILD_HOME", "shared-home")), folder.Combine("p"));

        Assert.AreEqual(folder.Combine("p", "shared-home"), settings.Home.Root);
        Assert.AreEqual(folder.Combine("p", "shared-home", "cache"), settings.CacheDirectory);
    }

    [TestMethod]
    public void Home_SettingWinsOverTheVariable_WhichWinsOverTheUsersHome()
    {
        using var folder = new TempDirectory();
        var variable = ("MLFLOW_MSBUILD_HOME", folder.Combine("from-variable"));

        var fromSetting = MlflowSettings.Create(new MlflowSettingValues { Home = folder.Combine("from-setting") }, Environment(folder, variable), folder.Path);
        var fromVariable = MlflowSettings.Create(new MlflowSettingValues { Home = "  " }, Environment(folder, variable), folder.Path);
        var fromDefault = MlflowSettings.Create(new MlflowSettingValues(), Environment(folder, ("MLFLOW_MSBUILD_HOME", "")), folder.Path);

        Assert.AreEqual(folder.Combine("from-setting"), fromSetting.Home.Root);
        Assert.AreEqual(folder.Combine("from-variable"), fromVariable.Home.Root);
        Assert.AreEqual(folder.Combine("user", ".mlflow-msbuild"), fromDefault.Home.Root);
        Assert.AreEqual(folder.Combine("user", ".mlflow-msbuild", "cache"), fromDefault.CacheDirectory);
        Assert.AreEqual(Path.Combine(folder.Path, "models.lock.json"), fromDefault.LockFile);
    }

    [TestMethod]
    [DataRow(null, null, false)]
    [DataRow(null, "1", true)]
    [DataRow(null, " TRUE ", true)]
    [DataRow("", "true", true)]
    [DataRow("false", "true", false)]
    [DataRow("0", "1", false)]
    [DataRow("True", "0", true)]
    [DataRow("1", "not-read-when-the-property-is-set", true)]
    public void Offline_PropertyWinsOverTheVariable(string? property, string? variable, bool expected)
    {
        using var folder = new TempDirectory();
        var environment = variable is null ? Environment(folder) : Environment(folder, ("MLFLOW_MSBUILD_OFFLINE", variable));

        var settings = MlflowSettings.Create(new MlflowSettingValues { Offline = property }, environment, folder.Path);

        Assert.AreEqual(expected, settings.Offline);
        Assert.AreEqual(expected, settings.ToRestoreOptions().Offline);
    }

    [TestMethod]
    public void NotABoolean_FailsWithMLF5012_NamingTheSetting()
    {
        using var folder = new TempDirectory();

        var property = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid,
            () => MlflowSettings.Create(new MlflowSettingValues { Offline = "yes" }, Environment(folder), folder.Path));
        var variable = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid,
            () => MlflowSettings.Create(new MlflowSettingValues(), Environment(folder, ("MLFLOW_MSBUILD_OFFLINE", "maybe")), folder.Path));
        var useLockFile = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid,
            () => MlflowSettings.Create(new MlflowSettingValues { UseLockFile = "always" }, Environment(folder), folder.Path));

        Assert.Contains("MlflowOffline is 'yes'", property.Message);
        Assert.Contains("MLFLOW_MSBUILD_OFFLINE is 'maybe'", variable.Message);
        Assert.Contains("MlflowUseLockFile is 'always'", useLockFile.Message);
        var refresh = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid,
            () => MlflowSettings.Create(new MlflowSettingValues { Refresh = "yes" }, Environment(folder), folder.Path));
        Assert.Contains("MlflowRefresh is 'yes'", refresh.Message);
    }

    [TestMethod]
    [DataRow("1", true)]
    [DataRow("TRUE", true)]
    [DataRow("0", false)]
    [DataRow("", false)]
    public void Refresh_TakesEveryBooleanWord(string value, bool expected)
    {
        using var folder = new TempDirectory();

        var settings = MlflowSettings.Create(new MlflowSettingValues { Refresh = value }, Environment(folder), folder.Path);

        Assert.AreEqual(expected, settings.ToRestoreOptions().Refresh);
    }

    [TestMethod]
    public void LockFile_IsUsedAsTheSettingSays_ElseWhenItExistsOrAReferenceFloats_AndAlwaysInLockedMode()
    {
        using var folder = new TempDirectory();
        ModelReference[] pinned = [ModelReference.Create("test-a", "1")];
        ModelReference[] floating = [ModelReference.Create("test-a", "1"), ModelReference.Create("test-b", "@champion")];
        MlflowSettings Settings(MlflowSettingValues values) => MlflowSettings.Create(values, Environment(folder), folder.Path);

        Assert.IsFalse(Settings(new MlflowSettingValues()).UsesLockFile(pinned));
        Assert.IsTrue(Settings(new MlflowSettingValues()).UsesLockFile(floating));
        Assert.IsTrue(Settings(new MlflowSettingValues()).UsesLockFile([ModelReference.Create("test-a", "LATEST")]));
        Assert.IsFalse(Settings(new MlflowSettingValues { UseLockFile = "false" }).UsesLockFile(floating));
        Assert.IsTrue(Settings(new MlflowSettingValues { UseLockFile = " 1 " }).UsesLockFile(pinned));
        Assert.IsTrue(Settings(new MlflowSettingValues { UseLockFile = "false", LockedMode = true }).UsesLockFile(pinned));

        folder.WriteFile("models.lock.json", "{}");
        Assert.IsTrue(Settings(new MlflowSettingValues()).UsesLockFile(pinned));
    }

    [TestMethod]
    public void RestoreOptions_CarryTheLockModes()
    {
        using var folder = new TempDirectory();

        var options = MlflowSettings.Create(new MlflowSettingValues { LockedMode = true, UpdateLockFile = true }, Environment(folder), folder.Path).ToRestoreOptions();

        Assert.IsTrue(options.LockedMode);
        Assert.IsTrue(options.UpdateLockFile);
        Assert.IsFalse(options.Offline);
    }

    [TestMethod]
    public void Registry_IsTrimmed_AndBlankMeansTheDefault()
    {
        using var folder = new TempDirectory();

        Assert.AreEqual("gitlab:group/project", MlflowSettings.Create(new MlflowSettingValues { Registry = " gitlab:group/project " }, Environment(folder), folder.Path).Registry);
        Assert.IsNull(MlflowSettings.Create(new MlflowSettingValues { Registry = " " }, Environment(folder), folder.Path).Registry);
    }

    [TestMethod]
    public void RelativeBaseFolder_IsRefused()
    {
        using var folder = new TempDirectory();

        Assert.ThrowsExactly<ArgumentException>(() => MlflowSettings.Create(new MlflowSettingValues(), Environment(folder), "relative/project"));
    }

    /// <summary>Only the given variables; the user's home is <c>user/</c> and the working folder (never used here) <c>elsewhere/</c>.</summary>
    private static CredentialEnvironment Environment(TempDirectory folder, params (string Name, string Value)[] variables) =>
        CredentialEnvironment.FromVariables(variables.ToDictionary(v => v.Name, v => v.Value), folder.Combine("user"), folder.Combine("elsewhere"));
}
