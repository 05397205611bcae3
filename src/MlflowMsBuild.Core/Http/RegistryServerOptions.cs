using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Http;

/// <summary>How to reach one MLflow-compatible server.</summary>
public sealed class RegistryServerOptions
{
    public required Uri TrackingUri { get; init; }

    /// <summary>How messages name the server, e.g. "MLflow server 'https://mlflow.example.org/'".</summary>
    public required string DisplayName { get; init; }

    /// <summary>Adds credentials to a request; null for none. Must never log what it adds.</summary>
    public Action<HttpRequestMessage>? Authenticate { get; init; }

    /// <summary>Credentials kept from this server because they are for another: a 401/403 is then
    /// <see cref="Errors.MlfError.CredentialsForAnotherServer"/>, saying so.</summary>
    public HeldBackCredentials? HeldBack { get; init; }

    /// <summary>Said after a 401/403: which token or scope to provide.</summary>
    public string AuthenticationHint { get; init; } = "Set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.";

    /// <summary>Said after a 404 that is not an MLflow 'does not exist' answer.</summary>
    public string NotFoundHint { get; init; } = "Check that MlflowRegistry names the MLflow tracking server's root address.";

    /// <summary>
    /// The longest wait for the server's answer (its status and headers) to one request, and, during an upload, the
    /// longest silence while the body goes out; not the time of the whole transfer. MLF6007 past it.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Where the user raises <see cref="RequestTimeout"/>, as MLF6007 names it.</summary>
    public string RequestTimeoutSetting { get; init; } = MlflowCredentials.RequestTimeoutVariable + " (seconds)";

    public bool VerifyTls { get; init; } = true;

    /// <summary>Retries of idempotent requests (GET, HEAD) after transient failures, by <see cref="RetryPolicy"/>; see <see cref="RetryHandler"/>.</summary>
    public RetrySettings Retry { get; init; } = RetrySettings.Default;

    /// <summary>Bounds of one listing of a model's files (depth, entries, time, answer size): MLF2007 past any.</summary>
    public ListingLimits Listing { get; init; } = ListingLimits.Default;

    /// <summary>A PEM file, or a folder of .pem/.crt files, of certificate authorities to trust instead of the system's.</summary>
    public string? CaCertificatePath { get; init; }
}
