using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// After the README's quickstart: the sample program, with the runtime package MlflowMsBuild.Models by PackageReference,
/// predicts the same from the model's folder and from its registry URI, and mlflow-models pull finds the version the test project's restore cached (one cache entry for both).
/// </summary>
[TestClass]
public sealed class PredictSampleTests
{
    [TestMethod]
    public void PredictionsFromFolderAndUriAreIdentical_AndPullReusesTheRestoredModel()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.CopySample("Classifier");
        workspace.CopySample("Classifier.Tests");
        workspace.CopySample("Classifier.Predict");
        workspace.CommitAll("samples");
        var publish = workspace.DotNet("build", "samples/Classifier", "-t:PublishModel");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        var test = workspace.DotNet("test", "samples/Classifier.Tests");
        Assert.AreEqual(0, test.ExitCode, test.ToString());

        var predict = workspace.PathOf("predict");
        var build = workspace.DotNet("build", "samples/Classifier.Predict", "-o", predict);
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        StringAssert.Contains(File.ReadAllText(workspace.PathOf("samples", "Classifier.Predict", "obj", "project.assets.json")),
            $"\"{PackedPackage.RuntimePackage}/{AssemblySetup.Package.Version}\"", "the runtime API must come from the packed package");
        var input = workspace.PathOf("samples", "Classifier.Predict", "input.csv");
        var fromFolder = workspace.DotNet(Path.Combine(predict, "Classifier.Predict.dll"), "--model", workspace.PathOf("samples", "Classifier", "evaluation", "model"), "--input", input);
        var fromUri = workspace.DotNet(Path.Combine(predict, "Classifier.Predict.dll"), "--model", "models:/test-classifier/1", "--input", input);

        Assert.AreEqual(0, fromFolder.ExitCode, fromFolder.ToString());
        Assert.AreEqual(0, fromUri.ExitCode, fromUri.ToString());
        var predictions = Predictions(fromFolder);
        Assert.HasCount(12, predictions, fromFolder.ToString());
        CollectionAssert.AreEqual(predictions, Predictions(fromUri), fromUri.ToString());

        var pull = workspace.DotNet("run", "--project", Repository.Path("src", "MlflowMsBuild.Cli"), "--", "pull", "models:/test-classifier/1");
        Assert.AreEqual(0, pull.ExitCode, pull.ToString());
        var folder = pull.Output.Split('\n').Select(l => l.Trim()).Single(l => l.Length > 0 && Directory.Exists(l));
        Assert.IsTrue(File.Exists(Path.Combine(folder, "model.zip")), pull.ToString());
        StringAssert.Contains(pull.Output, "from the cache", "the test project's restore had cached the version already");
        Assert.HasCount(1, Directory.GetFiles(Path.Combine(workspace.Home, "cache", "manifests"), "*.json", SearchOption.AllDirectories));
    }

    private static List<string> Predictions(ProcessResult result) =>
        result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && char.IsAsciiDigit(l[0]) && l.Contains(',', StringComparison.Ordinal)).ToList();
}
