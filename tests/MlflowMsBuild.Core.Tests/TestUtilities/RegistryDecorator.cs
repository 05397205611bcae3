using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>
/// Wraps a real registry: counts the read calls, records the publication steps, and can tamper with downloads or make uploads fail.
/// </summary>
internal sealed class RegistryDecorator(IModelRegistry inner) : IModelRegistry
{
    private int getModelVersionCalls;
    private int listFilesCalls;
    private int openFileCalls;

    /// <summary>Replaces the content of a downloaded file: receives the real bytes, returns what the caller reads.</summary>
    public Func<byte[], byte[]>? TamperDownload { get; init; }

    /// <summary>Wraps the stream of a download: receives the real one, returns what the caller reads (after <see cref="TamperDownload"/>).</summary>
    public Func<Stream, Stream>? WrapDownload { get; init; }

    /// <summary>Replaces the file list the registry gives.</summary>
    public Func<IReadOnlyList<ModelFileInfo>, IReadOnlyList<ModelFileInfo>>? TamperList { get; init; }

    /// <summary>Thrown by the n-th upload (1-based) when set.</summary>
    public (int Upload, Exception Exception)? FailUpload { get; init; }

    public int GetModelVersionCalls => getModelVersionCalls;

    public int ListFilesCalls => listFilesCalls;

    public int OpenFileCalls => openFileCalls;

    public int ReadCalls => GetModelVersionCalls + ListFilesCalls + OpenFileCalls;

    public int AbortCalls { get; private set; }

    public RegistryDescriptor Descriptor => inner.Descriptor;

    public bool RegistersVersionLast => inner.RegistersVersionLast;

    /// <summary>The limits the publisher checks; none unless set (the wrapped registry's are not forwarded).</summary>
    public PublicationLimits Limits { get; init; } = PublicationLimits.None;

    public Task<ModelVersionInfo> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref getModelVersionCalls);
        return inner.GetModelVersionAsync(name, version, cancellationToken);
    }

    /// <summary>Local by contract (no server call), so it is not counted.</summary>
    public string? NormalizeExactVersion(string name, string version) => inner.NormalizeExactVersion(name, version);

    public void CheckPublication(string modelName, string? requestedVersion) => inner.CheckPublication(modelName, requestedVersion);

    public Task<IReadOnlyList<ModelVersionInfo>> ListModelVersionsAsync(string name, CancellationToken cancellationToken) =>
        inner.ListModelVersionsAsync(name, cancellationToken);

    public Task<RunData> GetRunDataAsync(ModelVersionInfo version, CancellationToken cancellationToken) =>
        inner.GetRunDataAsync(version, cancellationToken);

    public async Task<IReadOnlyList<ModelFileInfo>> ListFilesAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref listFilesCalls);
        var files = await inner.ListFilesAsync(version, cancellationToken);
        return TamperList is null ? files : TamperList(files);
    }

    public async Task<Stream> OpenFileAsync(ModelVersionInfo version, ModelFileInfo file, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref openFileCalls);
        var stream = await inner.OpenFileAsync(version, file, cancellationToken);
        if (TamperDownload is not null)
        {
            stream = await TamperAsync(stream, TamperDownload, cancellationToken);
        }

        return WrapDownload is null ? stream : WrapDownload(stream);
    }

    public Task<IReadOnlyList<ModelFileInfo>> ListRunArtifactsAsync(ModelVersionInfo version, string folder, CancellationToken cancellationToken) =>
        inner.ListRunArtifactsAsync(version, folder, cancellationToken);

    public Task<Stream> OpenRunArtifactAsync(ModelVersionInfo version, string path, CancellationToken cancellationToken) =>
        inner.OpenRunArtifactAsync(version, path, cancellationToken);

    public string VersionPage(ModelVersionInfo version) => inner.VersionPage(version);

    private static async Task<Stream> TamperAsync(Stream real, Func<byte[], byte[]> tamper, CancellationToken cancellationToken)
    {
        await using (real)
        {
            using var buffer = new MemoryStream();
            await real.CopyToAsync(buffer, cancellationToken);
            return new MemoryStream(tamper(buffer.ToArray()));
        }
    }

    /// <summary>The requests publications were begun with, in order.</summary>
    public List<PublicationRequest> PublicationRequests { get; } = [];

    /// <summary>
    /// The publications' steps in order: <c>begin</c>, <c>log</c> and the run tag keys logged (','-separated, ordinal
    /// order), <c>upload</c> and the artifact path, <c>complete</c>.
    /// </summary>
    public List<string> Steps { get; } = [];

    private void Record(string step)
    {
        lock (Steps)
        {
            Steps.Add(step);
        }
    }

    public async Task<IModelPublication> BeginPublicationAsync(PublicationRequest request, CancellationToken cancellationToken)
    {
        PublicationRequests.Add(request);
        Record("begin");
        return new Publication(this, await inner.BeginPublicationAsync(request, cancellationToken));
    }

    private sealed class Publication(RegistryDecorator owner, IModelPublication inner) : IModelPublication
    {
        private int uploads;

        public string RunId => inner.RunId;

        public Task LogRunDataAsync(RunData data, CancellationToken cancellationToken)
        {
            owner.Record("log " + string.Join(",", data.Tags.Keys.Order(StringComparer.Ordinal)));
            return inner.LogRunDataAsync(data, cancellationToken);
        }

        public Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken)
        {
            uploads++;
            owner.Record("upload " + artifactPath);
            if (owner.FailUpload is { } fail && fail.Upload == uploads)
            {
                throw fail.Exception;
            }

            return inner.UploadArtifactAsync(artifactPath, content, cancellationToken);
        }

        public Task<ModelVersionInfo> CompleteAsync(VersionCompletion version, CancellationToken cancellationToken)
        {
            owner.Record("complete");
            return inner.CompleteAsync(version, cancellationToken);
        }

        public Task AbortAsync(string reason, CancellationToken cancellationToken)
        {
            owner.AbortCalls++;
            return inner.AbortAsync(reason, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    public void Dispose() => inner.Dispose();
}
