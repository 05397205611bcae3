using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Tests.Uris;

[TestClass]
public sealed class ModelUriTests
{
    [TestMethod]
    [DataRow("models:/test-classifier/4", "test-classifier", "4", null)]
    [DataRow("models:/test-classifier/1.2.0", "test-classifier", "1.2.0", null)]
    [DataRow("models:/test-classifier/2.0.1-rc2", "test-classifier", "2.0.1-rc2", null)]
    [DataRow("models:/test-classifier/latest", "test-classifier", "latest", null)]
    [DataRow("models:/test-classifier/Latest", "test-classifier", "latest", null)]
    [DataRow("models:/test-classifier@champion", "test-classifier", "@champion", null)]
    [DataRow("models:/test-classifier@1.0.0", "test-classifier", "@1.0.0", null)]
    [DataRow("models:/test-classifier", "test-classifier", null, null)]
    [DataRow("MODELS:/doc-x.v2+b/3", "doc-x.v2+b", "3", null)]
    [DataRow("models:/test-classifier/4?registry=gitlab:group/sub/project", "test-classifier", "4", "gitlab:group/sub/project")]
    [DataRow("models:/test-classifier/4?registry=gitlab%3Agroup%2Fsub%2Fproject", "test-classifier", "4", "gitlab:group/sub/project")]
    [DataRow("models:/test-x@champion?registry=https://mlflow.example.org/", "test-x", "@champion", "https://mlflow.example.org/")]
    [DataRow("models:/test-x/1?registry=https%3A%2F%2Fh%2F%3Fa%3D1%26b%3D2", "test-x", "1", "https://h/?a=1&b=2")]
    [DataRow("models:/test-x/1?registry=..%2Fmy%20registry", "test-x", "1", "../my registry")]
    [DataRow("models:/test-x%2Fb/3", "test-x/b", "3", null)]
    [DataRow("models:/test-x%20a@champion", "test-x a", "@champion", null)]
    [DataRow("models:/test-x a/1", "test-x a", "1", null)]
    [DataRow("models:/test-x:c/1", "test-x:c", "1", null)]
    [DataRow("models:/test%2Dx/1", "test-x", "1", null)]
    [DataRow("models:/test-x%25d%40e%3F%23/1", "test-x%d@e?#", "1", null)]
    [DataRow("models:/mod%C3%A8le/1", "modèle", "1", null)]
    public void ValidForms_Parse(string text, string name, string? version, string? registry)
    {
        var uri = ModelUri.Parse(text);

        Assert.AreEqual(new ModelUri(name, version, registry), uri);
    }

    [TestMethod]
    [DataRow("models:/test-x/3")]
    [DataRow("models:/test-x@champion")]
    [DataRow("models:/test-x")]
    [DataRow("models:/test-x/1.2.0?registry=gitlab:group/sub/project")]
    [DataRow("models:/test-x/1?registry=https://h/api/v4/projects/42/ml/mlflow")]
    [DataRow("models:/test-x/1?registry=https://h/%3Fa%3D1%26b%3D2%23c")]
    [DataRow("models:/test-x/1?registry=../my%20registry")]
    [DataRow("models:/test-x%2Fb/3")]
    [DataRow("models:/test-x%20a:c@champion")]
    [DataRow("models:/test-x%25d%40e%3F%23/1")]
    [DataRow("models:/mod%C3%A8le/1")]
    public void CanonicalText_RoundTrips(string text)
    {
        var uri = ModelUri.Parse(text);

        Assert.AreEqual(text, uri.ToString());
        Assert.AreEqual(uri, ModelUri.Parse(uri.ToString()));
    }

    [TestMethod]
    [DataRow("models:", "must follow 'models:/'")]
    [DataRow("models:/", "names no model")]
    [DataRow("models:test-x/1", "must follow 'models:/'")]
    [DataRow("models://profile/test-x/1", "Databricks profile")]
    [DataRow("models:/test-x/", "must be followed by a version")]
    [DataRow("models:/test-x/1/", "exactly two parts")]
    [DataRow("models:/test-x/1/model.zip", "exactly two parts")]
    [DataRow("models:/test-x/Production", "stages are not supported")]
    [DataRow("models:/test-x/v1", "neither a number")]
    [DataRow("models:/test-x/1.2.3.4", "neither a number")]
    [DataRow("models:/test-x@", "must be followed by an alias")]
    [DataRow("models:/test-x@cham pion", "holds characters")]
    [DataRow("models:/test-x@a/1", "holds characters")]
    [DataRow("models:/test%2x/1", "must start an escape")]
    [DataRow("models:/test%/1", "must start an escape")]
    [DataRow("models:/test%C3/1", "not UTF-8")]
    [DataRow("models:/%20test-x/1", "model name is not valid")]
    [DataRow("models:/test%0Ax/1", "model name is not valid")]
    [DataRow("models:/test-x/1%2E0", "neither a number")]
    [DataRow("models:/test-x/1#frag", "no fragment")]
    [DataRow("models:/test-x/1?", "query after '?' is empty")]
    [DataRow("models:/test-x/1?version=2", "'version' is not a parameter")]
    [DataRow("models:/test-x/1?registry=a&registry=b", "given twice")]
    [DataRow("models:/test-x/1?registry=", "'registry=' is empty")]
    [DataRow("models:/test-x/1?registry", "'registry=' is empty")]
    [DataRow("models:/test-x/1?registry=%0Afoo", "control characters")]
    public void InvalidForms_FailWithMlf7001SayingWhy(string text, string reason)
    {
        var error = MlfAssert.Throws(MlfError.ModelUriInvalid, () => ModelUri.Parse(text));

        StringAssert.Contains(error.Message, $"'{text}' is not a valid model URI");
        StringAssert.Contains(error.Message, reason);
    }

    [TestMethod]
    public void RequireVersion_OfAVersionlessUri_FailsWithMlf7005()
    {
        var error = MlfAssert.Throws(MlfError.ModelUriVersionMissing, () => ModelUri.Parse("models:/test-x?registry=gitlab:a/b").RequireVersion());

        StringAssert.Contains(error.Message, "models:/test-x/VERSION");
    }

    [TestMethod]
    [DataRow("models:/test-x@champion", true)]
    [DataRow("models:/test-x/latest", true)]
    [DataRow("models:/test-x/3", false)]
    [DataRow("models:/test-x", false)]
    public void IsFloating_ForAliasesAndLatest(string text, bool floating) =>
        Assert.AreEqual(floating, ModelUri.Parse(text).IsFloating);
}
