namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// Credentials found in the configuration but not sent, because the configuration names another server for them
/// (as git's credential helpers and NuGet's per-source credentials keep a secret to the server it was given for).
/// Said in <see cref="Errors.MlfError.CredentialsForAnotherServer"/> when the server then refuses a request. Safe to show.
/// </summary>
/// <param name="Reason">Which credentials were held back and which server they are for, e.g.
/// "MLFLOW_TRACKING_TOKEN is for http://127.0.0.1:5005/ (MLFLOW_TRACKING_URI) only".</param>
/// <param name="Fix">How to give this server credentials of its own.</param>
public sealed record HeldBackCredentials(string Reason, string Fix);
