using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace eNMS.Drivers.Netconf;

/// <summary>NETCONF data as people and later workflow nodes read it.</summary>
public static class NetconfXml
{
    /// <summary>The children of <c>&lt;data&gt;</c> (or of any element), indented one element per line, so that two
    /// versions compare line by line. Empty when there are none.</summary>
    public static string Indented(XElement data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment, NewLineChars = "\n" };
        using (var writer = XmlWriter.Create(text, settings))
        {
            foreach (var child in data.Elements())
            {
                // Detached copies: otherwise each child would repeat the <data>/<rpc-reply> namespace declarations.
                Detached(child).WriteTo(writer);
            }
        }
        return text.Length == 0 ? "" : text.Append('\n').ToString();
    }

    /// <summary>A copy of an element without its ancestors, keeping the prefixes declared above it that its values
    /// use (identities such as <c>ianaift:ethernetCsmacd</c>), so the text stays valid XML to send back.</summary>
    private static XElement Detached(XElement element)
    {
        var copy = new XElement(element);
        var values = element.DescendantsAndSelf().Where(e => !e.HasElements).Select(e => e.Value).Where(v => v.Contains(':', StringComparison.Ordinal)).ToList();
        foreach (var declaration in element.Ancestors().SelectMany(a => a.Attributes()).Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns))
        {
            var prefix = declaration.Name.LocalName + ":";
            if (copy.Attribute(declaration.Name) is null && element.GetNamespaceOfPrefix(declaration.Name.LocalName) == declaration.Value
                && values.Any(v => v.TrimStart().StartsWith(prefix, StringComparison.Ordinal)))
            {
                copy.Add(new XAttribute(declaration.Name, declaration.Value));
            }
        }
        return copy;
    }

    /// <summary>
    /// Elements as plain values for templates and JSON: a leaf is its text, an element with children a dictionary by
    /// local name (namespaces dropped), and siblings of the same name a list (YANG list entries; without the schema a
    /// list with a single entry reads as that entry). An empty leaf
    /// (<c>&lt;enabled/&gt;</c>, a YANG <c>empty</c>) is an empty string.
    /// </summary>
    public static Dictionary<string, object?> ToModel(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var model = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var group in element.Elements().GroupBy(e => e.Name.LocalName))
        {
            var values = group.Select(Value).ToList();
            model[group.Key] = values.Count == 1 ? values[0] : values;
        }
        return model;
    }

    private static object? Value(XElement element) => element.HasElements ? ToModel(element) : element.Value;
}
