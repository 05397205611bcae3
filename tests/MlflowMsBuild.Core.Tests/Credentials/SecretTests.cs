using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Tests.Credentials;

[TestClass]
public sealed class SecretTests
{
    private const string Value = "glpat-SECRET-VALUE-123";

    [TestMethod]
    public void Reveal_ReturnsTheValue()
    {
        Assert.AreEqual(Value, new Secret(Value).Reveal());
    }

    [TestMethod]
    public void EveryWayToText_IsRedacted()
    {
        var secret = new Secret(Value);

        Assert.AreEqual("***", secret.ToString());
        Assert.AreEqual("***", $"{secret}");
        Assert.AreEqual("[***]", $"[{secret,3}]");
        Assert.AreEqual("***", string.Format(CultureInfo.InvariantCulture, "{0}", secret));
        Assert.AreEqual("***", string.Format(CultureInfo.InvariantCulture, "{0:X}", secret));
        Assert.AreEqual("***", secret.ToString("G", CultureInfo.InvariantCulture));
        Assert.AreEqual("***", new StringBuilder().Append(secret).ToString());
        Assert.AreEqual("a *** b", string.Join(' ', "a", secret, "b"));
        Assert.AreEqual("\"***\"", JsonSerializer.Serialize(secret));
        Assert.AreEqual("{\"Token\":\"***\"}", JsonSerializer.Serialize(new { Token = secret }));
    }

    [TestMethod]
    public void TryFormat_WritesTheRedactedTextOrNothing()
    {
        var secret = new Secret(Value);
        var buffer = new char[10];
        Assert.IsTrue(secret.TryFormat(buffer, out var written, default, null));
        Assert.AreEqual("***", new string(buffer, 0, written));
        Assert.IsFalse(secret.TryFormat(new char[2], out written, default, null));
        Assert.AreEqual(0, written);
    }

    [TestMethod]
    public void DebuggerDisplay_IsRedacted()
    {
        var attribute = (DebuggerDisplayAttribute?)Attribute.GetCustomAttribute(typeof(Secret), typeof(DebuggerDisplayAttribute));
        Assert.IsNotNull(attribute);
        Assert.AreEqual("***", attribute.Value);
    }

    [TestMethod]
    public void EmptyValue_IsRefused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new Secret(string.Empty));
        Assert.ThrowsExactly<ArgumentNullException>(() => new Secret(null!));
    }

    [TestMethod]
    public void Equality_ComparesValues()
    {
        Assert.AreEqual(new Secret("a"), new Secret("a"));
        Assert.AreNotEqual(new Secret("a"), new Secret("b"));
        Assert.AreEqual(new Secret("a").GetHashCode(), new Secret("a").GetHashCode());
        Assert.IsFalse(new Secret("a").Equals(null));
    }

    [TestMethod]
    public void Json_ReadsAPlainString()
    {
        var secret = JsonSerializer.Deserialize<Secret>("\"abc\"");
        Assert.AreEqual("abc", secret!.Reveal());
    }
}
