using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// A registry address never carries credentials (<c>http://user:password@host</c>): they would not be sent, and a
/// password in an MSBuild property reaches build logs and binlogs. Credentials come from the variables instead.
/// </summary>
public static class AddressUserInfo
{
    /// <summary><see cref="MlfError.RegistryAddressHoldsCredentials"/> (MLF1085) when <paramref name="address"/> holds user
    /// information; the message shows the address without it.</summary>
    /// <param name="origin">Where the address came from: <see cref="MessageSetting.Registry"/> or a variable's name.</param>
    /// <param name="gitlab">True for a GitLab server: the message then names GitLab's token variable.</param>
    /// <param name="prefix">What precedes the address in the setting (<c>gitlab:</c>), shown with it.</param>
    public static void Refuse(Uri address, object origin, bool gitlab, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(address);
        if (string.IsNullOrEmpty(address.UserInfo))
        {
            return;
        }

        var instead = gitlab
            ? $"a GitLab token in {GitLabCredentials.TokenVariable} (or private_token in ~/{PythonGitLabConfig.UserFileName})"
            : $"{MlflowCredentials.UsernameVariable} and {MlflowCredentials.PasswordVariable} (or {MlflowCredentials.TokenVariable})";
        throw new MlflowException(MlfError.RegistryAddressHoldsCredentials, origin, prefix + MlflowRestClient.RedactedUri(address), instead);
    }
}
