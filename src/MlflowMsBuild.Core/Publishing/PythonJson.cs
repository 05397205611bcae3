using System.Text;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// JSON as Python's <c>json.dump</c> writes it: with <c>allow_nan=True</c> (its default) a float that is not finite
/// is written as the bare tokens <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which JSON (RFC 8259) and
/// System.Text.Json refuse. <see cref="QuoteNamedLiterals"/> turns them into the strings System.Text.Json reads with
/// <c>JsonNumberHandling.AllowNamedFloatingPointLiterals</c>; everything else is left as it is.
/// </summary>
internal static class PythonJson
{
    private static readonly string[] Literals = ["-Infinity", "Infinity", "NaN"];

    /// <summary>The text with every bare <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> outside strings quoted.</summary>
    public static string QuoteNamedLiterals(string json)
    {
        StringBuilder? result = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            if (c is not ('N' or 'I' or '-'))
            {
                continue;
            }

            foreach (var literal in Literals)
            {
                if (string.CompareOrdinal(json, i, literal, 0, literal.Length) == 0)
                {
                    result ??= new StringBuilder(json.Length + 16);
                    result.Append(json, copied, i - copied).Append('"').Append(literal).Append('"');
                    i += literal.Length - 1;
                    copied = i + 1;
                    break;
                }
            }
        }

        return result is null ? json : result.Append(json, copied, json.Length - copied).ToString();
    }
}
