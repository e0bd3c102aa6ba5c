-- Runs after --citeproc: give a non-empty bibliography a "References" heading (Quarto style).
local title = "References"

return {
  {
    Meta = function(meta)
      if meta["reference-section-title"] then
        title = pandoc.utils.stringify(meta["reference-section-title"])
      end
    end,
  },
  {
    Div = function(el)
      if el.identifier ~= "refs" or #el.content == 0 then return nil end
      local header = pandoc.Header(2, title, { id = "references", class = "unnumbered" })
      return pandoc.Div({ header, el }, { class = "tg-references" })
    end,
  },
}
