using MlflowMsBuild.EndToEnd.Tests.TestUtilities;
using YamlDotNet.RepresentationModel;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// samples/gitlab-ci/.gitlab-ci.yml parses, and the jobs, cache key and variables it relies on are the ones the
/// README's "In GitLab CI" section names.
/// </summary>
[TestClass]
public sealed class GitLabCiExampleTests
{
    private static readonly YamlMappingNode Pipeline = Load();
    private static readonly string ReadmeSection = Section(File.ReadAllText(Repository.Path("README.md")), "### In GitLab CI");

    [TestMethod]
    public void TheJobsAreTheOnesTheReadmeNames()
    {
        var jobs = Pipeline.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)
            .Where(k => k is not ("image" or "stages" or "variables" or "default" or "workflow")).ToList();

        CollectionAssert.AreEquivalent(new[] { "test", "publish-doc-models" }, jobs);
        foreach (var job in jobs)
        {
            StringAssert.Contains(ReadmeSection, $"job `{job}`");
        }
    }

    [TestMethod]
    public void TestJob_CachesMlflowMsBuildHome_KeyedOnTheLockFile_AndRestoresWithTheJobTokenOnly()
    {
        var home = Scalar(Pipeline, "variables", "MLFLOW_MSBUILD_HOME");
        var cache = Mapping(Pipeline, "test", "cache");
        var keyFiles = Sequence(cache, "key", "files");
        var paths = Sequence(cache, "paths");
        var script = string.Join('\n', Sequence(Pipeline, "test", "script"));

        Assert.AreEqual("$CI_PROJECT_DIR/.mlflow-msbuild", home);
        StringAssert.Contains(ReadmeSection, $"`{home}`");
        CollectionAssert.AreEqual(new[] { ".mlflow-msbuild/" }, paths, "GitLab caches paths under the project folder: MLFLOW_MSBUILD_HOME's");
        Assert.HasCount(1, keyFiles);
        StringAssert.EndsWith(keyFiles[0], "/models.lock.json");
        StringAssert.Contains(ReadmeSection, $"keyed on `{keyFiles[0]}`");
        StringAssert.Contains(ReadmeSection, $"git add {keyFiles[0]}");
        Assert.IsTrue(File.Exists(Repository.Path(Path.GetDirectoryName(keyFiles[0])!, Path.GetFileName(Path.GetDirectoryName(keyFiles[0]))! + ".csproj")),
            "the lock file belongs beside the test project the job tests");
        StringAssert.Contains(script, "unset GITLAB_TOKEN");
        StringAssert.Contains(script, "dotnet test " + Path.GetDirectoryName(keyFiles[0]));
        StringAssert.Contains(script, "-p:MlflowRegistry=$MLFLOW_REGISTRY");
        Assert.AreEqual("gitlab:$CI_PROJECT_PATH", Scalar(Pipeline, "variables", "MLFLOW_REGISTRY"));
        StringAssert.Contains(ReadmeSection, "`MlflowRegistry=gitlab:$CI_PROJECT_PATH`");
    }

    [TestMethod]
    public void PublishJob_RunsOnTheDefaultBranch_PublishesADocModel_WithTheMaskedToken()
    {
        var rules = Sequence(Pipeline, "publish-doc-models", "rules");
        var script = string.Join('\n', Sequence(Pipeline, "publish-doc-models", "script"));

        Assert.AreEqual("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", Scalar((YamlMappingNode)((YamlSequenceNode)Pipeline["publish-doc-models"]["rules"]).Children[0], "if"));
        Assert.HasCount(1, rules);
        StringAssert.Contains(ReadmeSection, "`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`");
        StringAssert.Contains(script, "-t:PublishModel");
        StringAssert.Contains(script, "-p:MlflowRegistry=$MLFLOW_REGISTRY");
        StringAssert.Contains(script, "-p:MlflowModelName=doc-classifier");
        StringAssert.Contains(ReadmeSection, "`doc-classifier` with `GITLAB_TOKEN`");
        StringAssert.Contains(script, "$GITLAB_TOKEN");
        StringAssert.Contains(ReadmeSection, "masked");
    }

    [TestMethod]
    public void NoTokenIsWrittenInTheFile()
    {
        foreach (var (name, mapping) in Pipeline.Children.Where(c => c.Value is YamlMappingNode).Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value)))
        {
            var variables = name == "variables" ? mapping : mapping.Children.TryGetValue(new YamlScalarNode("variables"), out var v) ? (YamlMappingNode)v : null;
            var keys = variables?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList() ?? [];
            CollectionAssert.DoesNotContain(keys, "GITLAB_TOKEN", name);
            CollectionAssert.DoesNotContain(keys, "CI_JOB_TOKEN", name);
        }
    }

    private static YamlMappingNode Load()
    {
        using var reader = new StreamReader(Repository.Path("samples", "gitlab-ci", ".gitlab-ci.yml"));
        var stream = new YamlStream();
        stream.Load(reader);
        Assert.HasCount(1, stream.Documents);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    private static YamlMappingNode Mapping(YamlNode node, params string[] path) => (YamlMappingNode)Node(node, path);

    private static List<string> Sequence(YamlNode node, params string[] path) =>
        ((YamlSequenceNode)Node(node, path)).Children.Select(c => c is YamlScalarNode s ? s.Value! : c.ToString()).ToList();

    /// <summary>The README's section from <paramref name="heading"/> to the next heading of its level or above.</summary>
    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, heading);
        var end = readme.IndexOf("\n### ", start + heading.Length, StringComparison.Ordinal);
        var nextChapter = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        end = end < 0 ? nextChapter : nextChapter < 0 ? end : Math.Min(end, nextChapter);
        return end < 0 ? readme[start..] : readme[start..end];
    }
}
