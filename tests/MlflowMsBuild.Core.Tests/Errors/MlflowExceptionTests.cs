using System.Globalization;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Tests.Errors;

[TestClass]
public sealed class MlflowExceptionTests
{
    private static readonly object?[] ManyArgs = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"];

    public static IEnumerable<object[]> AllErrors => Enum.GetValues<MlfError>().Select(e => new object[] { e });

    [TestMethod]
    [DynamicData(nameof(AllErrors))]
    public void EveryError_HasAMessageInTheResx(MlfError error)
    {
        var message = MlflowException.Format(error, ManyArgs);

        Assert.IsFalse(string.IsNullOrWhiteSpace(message), $"{error} has an empty message");
        Assert.DoesNotMatchRegex(new Regex(@"\{\d+\}"), message, "a placeholder was left unformatted");
    }

    [TestMethod]
    [DynamicData(nameof(AllErrors))]
    public void EveryError_HasACodeOfMlfAndFourDigits(MlfError error)
    {
        var code = MlflowException.CodeOf(error);

        Assert.MatchesRegex(new Regex(@"^MLF\d{4}$"), code);
        Assert.AreEqual((int)error, int.Parse(code[3..], CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void Codes_AreDistinctAndFitInFourDigits()
    {
        var values = Enum.GetValues<MlfError>().Select(e => (int)e).ToList();

        Assert.HasCount(values.Count, values.Distinct());
        Assert.IsTrue(values.All(v => v is >= 1000 and <= 9999), string.Join(", ", values));
    }

    [TestMethod]
    public void Constructor_SetsErrorCodeMessageAndInner()
    {
        var inner = new IOException("disk full");
        var exception = new MlflowException(MlfError.UnknownVersion, inner, "test-model", "7", "embedded registry 'x'", "1, 2");

        Assert.AreEqual(MlfError.UnknownVersion, exception.Error);
        Assert.AreEqual("MLF2002", exception.Code);
        Assert.AreSame(inner, exception.InnerException);
        Assert.AreEqual(
            "Model 'test-model' has no version '7' in the embedded registry 'x'. Existing versions: 1, 2. Pin one of those.",
            exception.Message);
    }

    [TestMethod]
    public void CodeOf_PadsToFourDigits()
    {
        Assert.AreEqual("MLF1001", MlflowException.CodeOf(MlfError.ModelNameConvention));
        Assert.AreEqual("MLF0042", MlflowException.CodeOf((MlfError)42));
    }

    [TestMethod]
    public void Format_UnknownErrorValue_SaysTheResxLacksIt()
    {
        var exception = Assert.ThrowsExactly<InvalidOperationException>(() => MlflowException.Format((MlfError)9998));
        Assert.Contains("9998", exception.Message);
    }

    [TestMethod]
    public void MetricsFileInvalid_KeepsItsLiteralBraces()
    {
        var message = MlflowException.Format(MlfError.MetricsFileInvalid, "m.json", "broken");
        Assert.Contains("{\"test\": {\"accuracy\": 0.93}}", message);
    }
}
