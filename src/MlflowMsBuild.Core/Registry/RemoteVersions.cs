using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Registry;

/// <summary>What the MLflow and GitLab registries share: turning REST entities into results and errors.</summary>
internal static class RemoteVersions
{
    public static IReadOnlyDictionary<string, string> Tags(List<KeyValue>? tags) =>
        (tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    /// <summary>The error for a version (or an <c>@alias</c>) that the server says does not exist, naming the versions that do.</summary>
    public static async Task<MlflowException> UnknownVersionAsync(
        MlflowRestClient client, RegistryDescriptor registry, string name, string version,
        Func<CancellationToken, Task<IReadOnlyList<string>>> listVersions, CancellationToken cancellationToken)
    {
        if (await client.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return await UnknownModelAsync(client, registry, name, cancellationToken).ConfigureAwait(false);
        }

        var existing = await listVersions(cancellationToken).ConfigureAwait(false);
        var names = existing.Count == 0 ? "none" : string.Join(", ", existing);
        return version.StartsWith('@')
            ? new MlflowException(MlfError.UnknownAlias, name, version[1..], registry.DisplayName, names)
            : new MlflowException(MlfError.UnknownVersion, name, version, registry.DisplayName, names);
    }

    public static async Task<MlflowException> UnknownModelAsync(MlflowRestClient client, RegistryDescriptor registry, string name, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> models;
        try
        {
            models = await client.SearchRegisteredModelNamesAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException)
        {
            models = [];
        }

        return models.Count == 0
            ? new MlflowException(MlfError.UnknownModelNoneExist, name, registry.DisplayName)
            : new MlflowException(MlfError.UnknownModel, name, registry.DisplayName, string.Join(", ", models.Order(StringComparer.Ordinal)));
    }

    /// <summary>The params, metrics and tags of the version's run (<c>runs/get</c>); empty when the version names no run.</summary>
    public static async Task<RunData> GetRunDataAsync(MlflowRestClient client, ModelVersionInfo version, CancellationToken cancellationToken)
    {
        if (version.RunId.Length == 0)
        {
            return new RunData(new Dictionary<string, string>(), [], new Dictionary<string, string>());
        }

        var data = (await client.GetRunAsync(version.RunId, cancellationToken).ConfigureAwait(false)).Data;
        return new RunData(
            Tags(data?.Params),
            (data?.Metrics ?? []).Select(m => new Metric(m.Key, m.Value, DateTimeOffset.FromUnixTimeMilliseconds(m.Timestamp), m.Step ?? 0)).ToList(),
            Tags(data?.Tags));
    }
}
