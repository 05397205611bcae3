using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

/// <summary>
/// Which header carries an access token, route by route. lib/api/ml_model_packages.rb declares
/// <c>authenticate_with</c> on the one <c>Authorization</c> location; lib/api/api_guard.rb <c>find_user_from_sources</c>
/// then reads nothing else, so a PRIVATE-TOKEN header there leaves the request anonymous
/// (<c>authenticate_non_get!</c> → 401; <c>user_project</c> of a private project → 404). With one location there is never
/// "Found more than one set of credentials" (lib/api/helpers/authentication.rb counts locations). The MLflow and project
/// routes read PRIVATE-TOKEN and <c>Authorization: Bearer</c> (lib/gitlab/auth/auth_finders.rb find_personal_access_token).
/// </summary>
[TestClass]
public sealed class GitLabPackageFileAuthTests
{
    [TestMethod]
    public async Task PackageFiles_IgnoreThePrivateTokenHeader_UploadIs401_PrivateDownloadIs404()
    {
        await using var setup = await SetupAsync();

        var upload = await setup.Anonymous.PutBytesAsync(setup.Files + "b.bin", [7], ("PRIVATE-TOKEN", Token));
        var download = await setup.Anonymous.GetAsync(setup.Files + "a.bin", ("PRIVATE-TOKEN", Token));

        Assert.AreEqual(401, upload.Code, upload.Body);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", upload.Body);
        Assert.AreEqual(404, download.Code, download.Body);
        Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", download.Body);
        Assert.AreEqual(404, (await setup.Anonymous.GetAsync(setup.Files + "b.bin", Bearer(Token))).Code, "nothing was stored");
    }

    [TestMethod]
    [DataRow("Bearer ")]
    [DataRow("Token ")]
    [DataRow("bearer  ")]
    public async Task PackageFiles_TakeTheAccessTokenAsTheAuthorizationHeadersLastWord(string scheme)
    {
        await using var setup = await SetupAsync();

        var upload = await setup.Anonymous.PutBytesAsync(setup.Files + "b.bin", [7, 8], ("Authorization", scheme + Token));
        var download = await setup.Anonymous.GetAsync(setup.Files + "b.bin", ("Authorization", scheme + Token));

        Assert.AreEqual(201, upload.Code, upload.Body);
        Assert.AreEqual(200, download.Code, download.Body);
        Assert.AreEqual("\u0007\u0008", download.Body);
    }

    [TestMethod]
    public async Task PackageFiles_PrivateTokenBesideBearer_IsIgnored_NotTwoSetsOfCredentials()
    {
        await using var setup = await SetupAsync();
        setup.Server.AddToken("glpat-reporter", GitLabRole.Reporter, "api");

        var developer = await setup.Anonymous.PutBytesAsync(setup.Files + "b.bin", [7], Bearer(Token), ("PRIVATE-TOKEN", "glpat-reporter"));
        var reporter = await setup.Anonymous.PutBytesAsync(setup.Files + "c.bin", [7], Bearer("glpat-reporter"), ("PRIVATE-TOKEN", Token));

        Assert.AreEqual(201, developer.Code, developer.Body);
        Assert.AreEqual(403, reporter.Code, "the Bearer token's user is the one checked");
        Assert.AreEqual("{\"message\":\"403 Forbidden\"}", reporter.Body);
    }

    [TestMethod]
    public async Task PackageFiles_AuthorizationThatIsNoToken_Is401Unauthorized_NotTheOAuthBody()
    {
        await using var setup = await SetupAsync();

        var unknown = await setup.Anonymous.GetAsync(setup.Files + "a.bin", Bearer("glpat-nope"));
        var schemeOnly = await setup.Anonymous.PutBytesAsync(setup.Files + "b.bin", [7], ("Authorization", "Bearer"));

        Assert.AreEqual(401, unknown.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", unknown.Body);
        Assert.AreEqual(401, schemeOnly.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", schemeOnly.Body);
    }

    [TestMethod]
    public async Task MlflowAndProjectRoutes_TakeBearerOrPrivateToken_ButNotTheTokenScheme()
    {
        await using var setup = await SetupAsync();
        var search = GitLabMlflow(setup.ProjectId) + "registered-models/search";
        var project = $"api/v4/projects/{setup.ProjectId}";

        Assert.AreEqual(200, (await setup.Anonymous.GetAsync(search, Bearer(Token))).Code);
        Assert.AreEqual(200, (await setup.Anonymous.GetAsync(search, ("PRIVATE-TOKEN", Token))).Code);
        Assert.AreEqual(200, (await setup.Anonymous.GetAsync(project, Bearer(Token))).Code);
        Assert.AreEqual(200, (await setup.Anonymous.GetAsync(project, ("PRIVATE-TOKEN", Token))).Code);

        var tokenScheme = await setup.Anonymous.GetAsync(search, ("Authorization", "Token " + Token));
        Assert.AreEqual(401, tokenScheme.Code, "Doorkeeper parses Bearer only: the request is anonymous");
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", tokenScheme.Body);
        var projectTokenScheme = await setup.Anonymous.GetAsync(project, ("Authorization", "Token " + Token));
        Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", projectTokenScheme.Body);
    }

    private static async Task<Setup> SetupAsync()
    {
        var (server, projectId) = await GitLabAsync();
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var version = await GitLabVersionAsync(api, projectId);
        var files = $"api/v4/projects/{projectId}/packages/ml_models/{(string)version["version"]!}/files/model/";
        var put = await api.PutBytesAsync(files + "a.bin", [1, 2, 3]);
        Assert.AreEqual(201, put.Code, put.Body);
        return new Setup(server, projectId, files);
    }

    private sealed class Setup(TestRegistryServer server, int projectId, string files) : IAsyncDisposable
    {
        public TestRegistryServer Server => server;

        public int ProjectId => projectId;

        public string Files => files;

        public Api Anonymous { get; } = new(server.BaseAddress);

        public async ValueTask DisposeAsync()
        {
            Anonymous.Dispose();
            await server.DisposeAsync();
        }
    }
}
