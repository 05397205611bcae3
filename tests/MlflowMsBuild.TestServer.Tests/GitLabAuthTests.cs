using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class GitLabAuthTests
{
    [TestMethod]
    public async Task ProjectLookup_ByEncodedPath_Or404()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, ("PRIVATE-TOKEN", Token));
        var project = await api.GetAsync("api/v4/projects/group%2Fproject");
        Assert.AreEqual(200, project.Code);
        Assert.AreEqual(projectId, (int)project.Json["id"]!);
        Assert.AreEqual("group/project", (string)project.Json["path_with_namespace"]!);
        Assert.AreEqual(new Uri(server.BaseAddress, "group/project").ToString(), (string)project.Json["web_url"]!);
        Assert.AreEqual("main", (string)project.Json["default_branch"]!);

        var decodedSlash = await api.GetAsync("api/v4/projects/group/project");
        Assert.AreEqual(404, decodedSlash.Code, "a decoded %2F is another route");
        var missing = await api.GetAsync("api/v4/projects/group%2Fother");
        Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", missing.Body);
    }

    [TestMethod]
    public async Task MlflowRoutes_NoToken401_BadToken401OAuth_ReadApiOnPost403_BothHeadersWork()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        server.AddToken("glpat-read", "read_api");
        var search = GitLabMlflow(projectId) + "registered-models/search";

        using var anonymous = new Api(server.BaseAddress);
        var none = await anonymous.GetAsync(search);
        Assert.AreEqual(401, none.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", none.Body);

        var bad = await anonymous.GetAsync(search, ("PRIVATE-TOKEN", "glpat-nope"));
        Assert.AreEqual(401, bad.Code);
        Assert.AreEqual("invalid_token", (string)bad.Json["error"]!);
        StringAssert.Contains(bad.Header("WWW-Authenticate"), "invalid_token");

        Assert.AreEqual(200, (await anonymous.GetAsync(search, ("Authorization", "Bearer glpat-read"))).Code);
        Assert.AreEqual(200, (await anonymous.GetAsync(search, ("PRIVATE-TOKEN", "glpat-read"))).Code);
        var lowScope = await anonymous.PostAsync(GitLabMlflow(projectId) + "experiments/search", new { }, ("PRIVATE-TOKEN", "glpat-read"));
        Assert.AreEqual(403, lowScope.Code, "a search is a POST: read_api is not enough");
        Assert.AreEqual("insufficient_scope", (string)lowScope.Json["error"]!);
        Assert.AreEqual("api", (string)lowScope.Json["scope"]!);

        server.RevokeToken("glpat-read");
        var revoked = await anonymous.GetAsync(search, ("PRIVATE-TOKEN", "glpat-read"));
        Assert.AreEqual("Token has been revoked.", (string)revoked.Json["error_description"]!);
    }

    [TestMethod]
    public async Task Permissions_NoReadIs404_NoWriteIs401_InvisibleProjectIs404ProjectNotFound()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        server.AddToken("glpat-guest", GitLabRole.Guest, "api");
        server.AddToken("glpat-reporter", GitLabRole.Reporter, "api");
        server.AddToken("glpat-stranger", GitLabRole.None, "api");
        using var api = new Api(server.BaseAddress);
        var basePath = GitLabMlflow(projectId);

        var guest = await api.GetAsync(basePath + "registered-models/search", ("PRIVATE-TOKEN", "glpat-guest"));
        Assert.AreEqual("{\"message\":\"404 Not Found\"}", guest.Body);
        Assert.AreEqual(200, (await api.GetAsync(basePath + "registered-models/search", ("PRIVATE-TOKEN", "glpat-reporter"))).Code);
        var reporterWrite = await api.PostAsync(basePath + "registered-models/create", new { name = "m" }, ("PRIVATE-TOKEN", "glpat-reporter"));
        Assert.AreEqual(401, reporterWrite.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", reporterWrite.Body);
        var stranger = await api.GetAsync(basePath + "registered-models/search", ("PRIVATE-TOKEN", "glpat-stranger"));
        Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", stranger.Body);
    }

    [TestMethod]
    public async Task JobToken_AcceptedOnPackageFilesOnly()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        server.AddJobToken("cjt-123");
        server.AddToken("glpat-reporter", GitLabRole.Reporter, "api");
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var version = await GitLabVersionAsync(api, projectId);
        var files = $"api/v4/projects/{projectId}/packages/ml_models/{(string)version["version"]!}/files/";

        using var ci = new Api(server.BaseAddress);
        Assert.AreEqual(201, (await ci.PutBytesAsync(files + "a.bin", [1, 2], ("Authorization", "Bearer cjt-123"))).Code);
        Assert.AreEqual(200, (await ci.GetAsync(files + "a.bin", ("Authorization", "Bearer cjt-123"))).Code);
        Assert.AreEqual(401, (await ci.GetAsync(GitLabMlflow(projectId) + "registered-models/search", ("JOB-TOKEN", "cjt-123"))).Code);
        Assert.AreEqual(401, (await ci.GetAsync(GitLabMlflow(projectId) + "registered-models/search", ("Authorization", "Bearer cjt-123"))).Code);

        Assert.AreEqual(401, (await ci.PutBytesAsync(files + "c.bin", [1])).Code, "anonymous upload");
        var reporter = await ci.PutBytesAsync(files + "c.bin", [1], Bearer("glpat-reporter"));
        Assert.AreEqual(403, reporter.Code);
        Assert.AreEqual(404, (await ci.GetAsync(files + "a.bin")).Code, "anonymous on a private project");
    }
}
