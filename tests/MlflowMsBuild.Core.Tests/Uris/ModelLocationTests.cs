using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Tests.Uris;

[TestClass]
public sealed class ModelLocationTests
{
    private static readonly string Base = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "base"));

    [TestMethod]
    public void ModelUri_IsAUri()
    {
        var location = ModelLocation.Parse("models:/test-x/2", Base);

        Assert.AreEqual(new ModelUri("test-x", "2", null), location.Uri);
        Assert.IsNull(location.LocalPath);
    }

    [TestMethod]
    [DataRow("evaluation/model")]
    [DataRow("./model")]
    [DataRow("models/test-x/1")]
    public void RelativePaths_AreRelativeToTheBase(string path)
    {
        var location = ModelLocation.Parse(path, Base);

        Assert.IsNull(location.Uri);
        Assert.AreEqual(Path.GetFullPath(path, Base), location.LocalPath);
    }

    [TestMethod]
    public void AbsolutePathsAndFileUris_AreLocalPaths()
    {
        var folder = Path.Combine(Base, "a folder");

        Assert.AreEqual(folder, ModelLocation.Parse(folder, "/elsewhere").LocalPath);
        Assert.AreEqual(folder, ModelLocation.Parse(new Uri(folder).AbsoluteUri, "/elsewhere").LocalPath);
    }

    [TestMethod]
    [DataRow("runs:/0123abcd/model", "runs")]
    [DataRow("s3://bucket/model", "s3")]
    [DataRow("https://example.org/model.zip", "https")]
    [DataRow("mlflow-artifacts:/1/2/artifacts/model", "mlflow-artifacts")]
    public void OtherSchemes_FailWithMlf7002(string text, string scheme)
    {
        var error = MlfAssert.Throws(MlfError.ModelLocationUnsupported, () => ModelLocation.Parse(text, Base));

        StringAssert.Contains(error.Message, $"'{scheme}:'");
    }

    [TestMethod]
    public void EmptyText_FailsWithMlf7001() =>
        MlfAssert.Throws(MlfError.ModelUriInvalid, () => ModelLocation.Parse("  ", Base));

    [TestMethod]
    public void MalformedModelUri_IsNotTakenForAPath() =>
        MlfAssert.Throws(MlfError.ModelUriInvalid, () => ModelLocation.Parse("models:/test-x/1/extra", Base));
}
