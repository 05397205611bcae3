using System.Globalization;
using System.Text;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Naming;

/// <summary>
/// The folder that holds a model under <c>obj/models/</c>, the cache and the embedded registry: the name itself when it
/// is a portable file name (every name following GitLab's rule is), else the name with what Windows, macOS or Linux
/// cannot hold percent-escaped as UTF-8 bytes: '%' itself, '/', '\', ':', '*', '?', '"', '&lt;', '&gt;', '|', control
/// characters, a trailing '.' or space, the first letter of a device name (CON, aux ...). So <c>test-x/b</c> lives in
/// <c>test-x%2Fb</c> and <c>test-a:b</c> in <c>test-a%3Ab</c>. The mapping is one-to-one; a folder name longer than
/// <see cref="MaxLength"/> characters is cut and ends with '~' and a hash of the whole name.
/// </summary>
public static class ModelFolderName
{
    /// <summary>The longest folder name produced, well inside the 255 bytes file systems allow.</summary>
    public const int MaxLength = 200;

    private const string Escaped = "%/\\:*?\"<>|";

    /// <summary>The folder of model <paramref name="name"/> (a name <see cref="ModelNameRules.ThrowIfInvalid"/> accepts).</summary>
    public static string Of(string name)
    {
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var last = i == name.Length - 1;
            var escape = Escaped.Contains(c, StringComparison.Ordinal) || char.IsControl(c) || (last && c is '.' or ' ')
                || (i == 0 && WindowsNames.IsDeviceName(name));
            if (escape)
            {
                foreach (var b in Encoding.UTF8.GetBytes(name[i].ToString()))
                {
                    text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                text.Append(c);
            }
        }

        var folder = text.ToString();
        return folder.Length <= MaxLength ? folder : folder[..(MaxLength - Sha256Hex.ShortLength - 1)] + "~" + Sha256Hex.Short(name);
    }
}
