using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry;

[TestClass]
public sealed class RegistryNameRulesTests
{
    private static readonly RegistryDescriptor Server = new("x", "x", "test registry");

    [TestMethod]
    [DataRow("model/a b.txt")]
    [DataRow("model/plus+semi;colon.txt")]
    [DataRow("model/100%.txt")]
    [DataRow("model/q?mark.txt")]
    public void Mlflow_KeepsNamesItDoesNotDecode(string path) => Assert.IsNull(MlflowNames.Instance.WhyAltered(path));

    [TestMethod]
    [DataRow("model/a%20b.txt", "percent-decode")]
    [DataRow("model/%41.txt", "'A'")]
    [DataRow("model/x%2fy.bin", "percent-decode")]
    [DataRow("model/hash#.txt", "'#'")]
    [DataRow("model/unicodé.txt", "HTTP 500")]
    public void Mlflow_RefusesNamesItWouldAlterOrNotServe(string path, string reason) =>
        Assert.Contains(reason, MlflowNames.Instance.WhyAltered(path)!);

    [TestMethod]
    [DataRow("test-x/b")]
    [DataRow("test-x:c")]
    public void Mlflow_RefusesToCreateModelsMlflow3Refuses(string name) =>
        MlfAssert.Throws(MlfError.ModelNameRejectedByRegistry, () => MlflowNames.ThrowIfRefusedOnCreate(name, Server));

    [TestMethod]
    [DataRow("model/weights.v2+onnx-x_y.bin")]
    [DataRow("model/sub-folder/MLmodel")]
    public void GitLab_KeepsItsPackageFileCharacters(string path) => Assert.IsNull(GitLabNames.Instance.WhyAltered(path));

    [TestMethod]
    [DataRow("model/a b.txt")]
    [DataRow("model/sub dir/x.txt")]
    [DataRow("model/semi;colon.txt")]
    [DataRow("model/%41.txt")]
    [DataRow("model/é.txt")]
    public void GitLab_RefusesOtherCharactersInFilesAndFolders(string path) => Assert.IsNotNull(GitLabNames.Instance.WhyAltered(path));

    [TestMethod]
    [DataRow("test-x")]
    [DataRow("group/test-x")]
    [DataRow("@scope/test-x")]
    [DataRow("a+b/test-x")]
    [DataRow("test-x.v2_1")]
    public void GitLab_AcceptsPackageNames(string name) => GitLabNames.ThrowIfRefused(name, Server);

    [TestMethod]
    [DataRow("test-x a")]
    [DataRow("test-x:c")]
    [DataRow("test-x+")]
    [DataRow("test-x%d")]
    [DataRow("modèle")]
    public void GitLab_RefusesOtherNames(string name) =>
        MlfAssert.Throws(MlfError.ModelNameRejectedByRegistry, () => GitLabNames.ThrowIfRefused(name, Server));

    [TestMethod]
    public void GitLab_RefusesNamesWhoseModelExperimentWouldExceed255Characters()
    {
        GitLabNames.ThrowIfRefused("test-" + new string('x', 242), Server);
        MlfAssert.Throws(MlfError.ModelNameRejectedByRegistry, () => GitLabNames.ThrowIfRefused("test-" + new string('x', 243), Server));
    }
}
