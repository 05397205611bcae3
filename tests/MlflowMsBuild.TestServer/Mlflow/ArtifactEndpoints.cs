using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>
/// The artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts</c>: PUT, GET, DELETE, listing), the tracking
/// <c>artifacts/list</c>, and the UI download routes <c>/get-artifact</c> and <c>/model-versions/get-artifact</c>.
/// </summary>
internal sealed class ArtifactEndpoints(MlflowState state, MlflowArtifactStore store, bool serveArtifacts, Version server)
{
    private const string Proxy = "api/2.0/mlflow-artifacts/";

    public void Map(RouteTable routes)
    {
        routes.Map("PUT", Proxy + "artifacts/{*path}", "artifacts", Upload);
        routes.Map("GET", Proxy + "artifacts/{*path}", "artifacts", Download);
        routes.Map("DELETE", Proxy + "artifacts/{*path}", "artifacts", Delete);
        routes.Map("GET", Proxy + "artifacts", "mlflow-artifacts/list", ListProxy);
        routes.Map("POST", Proxy + "mpu/create/{*path}", "mpu/create", NoMultipart);
        routes.Map("POST", Proxy + "mpu/complete/{*path}", "mpu/complete", NoMultipart);
        routes.Map("POST", Proxy + "mpu/abort/{*path}", "mpu/abort", NoMultipart);
        routes.Map("GET", Api + "artifacts/list", "artifacts/list", ListRun);
        routes.Map("GET", "get-artifact", "get-artifact", GetRunArtifact);
        routes.Map("GET", "model-versions/get-artifact", "model-versions/get-artifact", GetModelVersionArtifact);
    }

    private void RequireServing()
    {
        if (serveArtifacts) return;
        throw new ApiErrorException(503, "Endpoint disabled due to the mlflow server running with `--no-serve-artifacts`. " +
            "To enable artifacts server functionality, run `mlflow server` with `--serve-artifacts`", "text/html; charset=utf-8");
    }

    private async Task Upload(ApiRequest request)
    {
        RequireServing();
        var path = MlflowValidation.SafeArtifactPath(request.Route["path"]);
        if (Directory.Exists(store.PathOf(path))) throw MlflowErrors.InternalServerErrorPage();
        await store.SaveAsync(path, request.Http.Request.Body, request.Aborted);
        await request.OkEmptyAsync();
    }

    /// <summary>200 chunked without Content-Length, Range ignored; MLflow 3: 500 for a non-ASCII file name. A directory is Flask's HTML 500; a missing file is a
    /// JSON 500 INTERNAL_ERROR (the repository's download failure), never a 404.</summary>
    private async Task Download(ApiRequest request)
    {
        RequireServing();
        var path = MlflowValidation.SafeArtifactPath(request.Route["path"]);
        if (server.Major >= 3 && File.Exists(store.PathOf(path)) && Path.GetFileName(path).Any(c => c > 0x7F))
        {
            // MLflow 3 serves Flask through starlette's WSGI adapter, which encodes headers as ASCII: the
            // Content-Disposition of a non-ASCII name fails (UnicodeEncodeError), answered by uvicorn as plain text.
            throw new ApiErrorException(500, "Internal Server Error", "text/plain; charset=utf-8");
        }
        await SendFileAsync(request, path);
    }

    /// <param name="sendFile">The <c>get-artifact</c> routes (Flask's send_file): a non-ASCII name is sent as an ASCII
    /// fallback plus <c>filename*=UTF-8''…</c>, which both 2.12 and 3.11 serve.</param>
    private async Task SendFileAsync(ApiRequest request, string relative, bool sendFile = false)
    {
        var file = store.PathOf(relative);
        if (Directory.Exists(file)) throw MlflowErrors.InternalServerErrorPage();
        if (!File.Exists(file))
        {
            throw MlflowErrors.Error("INTERNAL_ERROR", "The following failures occurred while downloading one or more artifacts from " +
                $"mlflow-artifacts:/:\n##### File {relative} #####\n[Errno 2] No such file or directory: '{relative}'");
        }
        var name = Path.GetFileName(file);
        string? disposition = null;
        if (sendFile && name.Any(c => c > 0x7F))
        {
            var ascii = new string(name.Normalize(System.Text.NormalizationForm.FormKD).Where(c => c <= 0x7F).ToArray());
            disposition = $"attachment; filename={ascii}; filename*=UTF-8''{Uri.EscapeDataString(name)}";
        }
        await FileResponses.StreamChunkedAsync(request.Http, file, MlflowArtifactStore.MimeType(name), name, disposition);
    }

    private async Task Delete(ApiRequest request)
    {
        RequireServing();
        store.Delete(MlflowValidation.SafeArtifactPath(request.Route["path"]));
        await request.OkEmptyAsync();
    }

    /// <summary>Basenames of the direct children; <c>{}</c> when the path is missing or a file.</summary>
    private async Task ListProxy(ApiRequest request)
    {
        RequireServing();
        var args = await MlflowArgs.ReadAsync(request);
        var path = MlflowValidation.SafeArtifactPath(args.String("path") ?? "");
        var json = new JsonObject();
        var files = store.List(path).Select(e => (JsonNode?)Entry(e.Name, e)).ToArray();
        if (files.Length > 0) json["files"] = new JsonArray(files);
        await request.OkAsync(json);
    }

    private Task NoMultipart(ApiRequest request)
    {
        RequireServing();
        throw MlflowErrors.Error("NOT_IMPLEMENTED", "Multipart upload is not supported for the current artifact repository");
    }

    /// <summary>Tracking listing: paths relative to the run's artifact root, plus root_uri.</summary>
    private async Task ListRun(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var path = MlflowValidation.SafeArtifactPath(args.String("path") ?? "").Trim('/');
        string rootUri;
        lock (state.Sync) rootUri = state.Run(runId).ArtifactUri;
        var json = new JsonObject { ["root_uri"] = rootUri };
        if (MlflowArtifactStore.RelativeOf(rootUri) is { } root)
        {
            var prefix = path.Length == 0 ? "" : path + "/";
            var files = store.List(Combine(root, path)).Select(e => (JsonNode?)Entry(prefix + e.Name, e)).ToArray();
            if (files.Length > 0) json["files"] = new JsonArray(files);
        }
        await request.OkAsync(json);
    }

    private async Task GetRunArtifact(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var path = MlflowValidation.SafeArtifactPath(args.RequiredString("path"));
        string rootUri;
        lock (state.Sync) rootUri = state.Run(runId).ArtifactUri;
        var root = MlflowArtifactStore.RelativeOf(rootUri) ?? throw MlflowErrors.InternalServerErrorPage();
        await SendFileAsync(request, Combine(root, path), sendFile: true);
    }

    private async Task GetModelVersionArtifact(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        var path = MlflowValidation.SafeArtifactPath(args.RequiredString("path"));
        string location;
        lock (state.Sync) location = state.Version(name, version).StorageLocation;
        var root = MlflowArtifactStore.RelativeOf(location) ?? throw MlflowErrors.InternalServerErrorPage();
        await SendFileAsync(request, Combine(root, path), sendFile: true);
    }

    private static string Combine(string root, string path) => path.Length == 0 ? root : root + "/" + path;

    private static JsonObject Entry(string path, ArtifactEntry e)
    {
        var json = new JsonObject { ["path"] = path, ["is_dir"] = e.IsDirectory };
        if (!e.IsDirectory) json["file_size"] = e.Size;
        return json;
    }
}
