using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Http;

internal static class HttpHandlers
{
    public static HttpMessageHandler Create(RegistryServerOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // Redirects (GitLab object storage answers 302 to a signed URL) must not carry our credentials.
            AllowAutoRedirect = false,
        };
        if (!options.VerifyTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (options.CaCertificatePath is { } caPath)
        {
            var authorities = new X509Certificate2Collection();
            var files = Directory.Exists(caPath) ? Directory.EnumerateFiles(caPath).Where(f => f.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)) : [caPath];
            foreach (var file in files)
            {
                authorities.ImportFromPemFile(file);
            }

            // The custom authorities only replace the system's trust: a wrong host name is never accepted.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && certificate is not null && ChainsTo(new X509Certificate2(certificate), authorities));
        }

        return new RetryHandler(options.Retry, handler);
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
