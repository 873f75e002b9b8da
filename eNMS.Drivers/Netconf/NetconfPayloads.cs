using System.Xml;
using System.Xml.Linq;

namespace eNMS.Drivers.Netconf;

/// <summary>The XML a NETCONF client writes: payloads and filters parsed from what users type, without DTDs or
/// external entities, with errors that say where the text is not well-formed.</summary>
public static class NetconfPayloads
{
    /// <summary>The configuration as the payload of <c>edit-config</c>: a <c>&lt;config&gt;</c> element (in any
    /// namespace) is unwrapped, everything else is taken as its content.</summary>
    /// <exception cref="ArgumentException">The text is not well-formed XML (its line and position in the message).</exception>
    public static XElement ConfigElement(string config)
    {
        var nodes = ParseFragment(config, "configuration");
        if (nodes.Count == 1 && nodes[0] is XElement { Name.LocalName: "config" } wrapper)
        {
            nodes = [.. wrapper.Nodes()];
        }
        return new XElement(NetconfSession.Base + "config", nodes);
    }

    /// <summary>Parses XML text that may hold several top-level elements, without DTDs or external entities.</summary>
    /// <exception cref="ArgumentException">Not well-formed.</exception>
    public static List<XNode> ParseFragment(string xml, string what)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var settings = new XmlReaderSettings
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml.Trim()), settings);
            var nodes = new List<XNode>();
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    nodes.Add(XNode.ReadFrom(reader));
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && reader.Value.Trim().Length > 0)
                {
                    throw new ArgumentException($"The {what} has text outside any element: '{reader.Value.Trim()}'");
                }
                else
                {
                    reader.Read();
                }
            }
            return nodes.Count > 0 ? nodes : throw new ArgumentException($"The {what} holds no XML element.");
        }
        catch (XmlException e)
        {
            throw new ArgumentException($"The {what} is not well-formed XML: {e.Message}", e);
        }
    }

    /// <summary>The <c>&lt;filter&gt;</c> element of a get or get-config, or null for everything.</summary>
    public static XElement? Filter(NetconfFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }
        if (filter.Type == NetconfFilterType.XPath)
        {
            if (filter.Expression.StartsWith('<'))
            {
                var nodes = ParseFragment(filter.Expression, "XPath filter");
                return nodes is [XElement { Name.LocalName: "filter" } given]
                    ? new XElement(NetconfSession.Base + "filter", given.Attributes(), given.Nodes())
                    : throw new ArgumentException("An XPath filter written as XML must be one <filter type=\"xpath\" select=\"…\"/> element.");
            }
            return new XElement(NetconfSession.Base + "filter", new XAttribute("type", "xpath"), new XAttribute("select", filter.Expression));
        }
        return new XElement(NetconfSession.Base + "filter", new XAttribute("type", "subtree"), ParseFragment(filter.Expression, "subtree filter"));
    }
}
