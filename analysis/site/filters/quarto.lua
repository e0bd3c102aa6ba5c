-- Quarto-style features for talentgap.site, applied before --citeproc:
--   1. numbered figure/table floats (#fig-*, #tbl-*: cell divs, Quarto divs, pandoc figures/tables)
--   2. @fig-x / @tbl-x cross-references become links ("Figure 1"); unknown ones "?@fig-x"
--   3. .callout-note/-warning/-tip/-important/-caution divs become titled boxes
--   4. links to local .qmd pages point at the rendered .html

local NAMES = { fig = "Figure", tbl = "Table" }
local CALLOUTS = { note = "Note", warning = "Warning", tip = "Tip", important = "Important", caution = "Caution" }
local counters = { fig = 0, tbl = 0 }
local refs = {}

local function kind_of(id)
  local k = id and id:match("^(%a+)%-.")
  if k and NAMES[k:lower()] then return k:lower() end
  return nil
end

local function number(id, kind, caption_inlines)
  counters[kind] = counters[kind] + 1
  local n = tostring(counters[kind])
  refs[id] = NAMES[kind] .. " " .. n
  local label = pandoc.Inlines { pandoc.Str(NAMES[kind]), pandoc.Space(), pandoc.Str(n) }
  if caption_inlines and #caption_inlines > 0 then
    label:insert(pandoc.Str(":"))
    label:insert(pandoc.Space())
    label:extend(caption_inlines)
  end
  return label
end

local function html(text) return pandoc.RawBlock("html", text) end

-- A div #fig-x / #tbl-x: caption from a .tg-caption child, else its last paragraph.
local function float_div(el)
  local kind = kind_of(el.identifier)
  if not kind then return nil end
  local body, caption = pandoc.Blocks {}, nil
  for _, block in ipairs(el.content) do
    if block.t == "Div" and block.classes:includes("tg-caption") then
      caption = pandoc.utils.blocks_to_inlines(block.content)
    else
      body:insert(block)
    end
  end
  if caption == nil and #body > 1 and body[#body].t == "Para" then
    caption = body:remove(#body).content
  end
  local label = number(el.identifier, kind, caption)
  local figcaption = pandoc.Blocks { html('<figcaption class="tg-caption">'), pandoc.Plain(label), html("</figcaption>") }
  local out = pandoc.Blocks { html('<figure class="tg-figure">') }
  if kind == "tbl" then out:extend(figcaption) end
  out:extend(body)
  if kind == "fig" then out:extend(figcaption) end
  out:insert(html("</figure>"))
  el.classes:insert("tg-float")
  el.classes:insert("tg-float-" .. kind)
  el.content = out
  return el
end

local function callout(el)
  for _, cls in ipairs(el.classes) do
    local kind = cls:match("^callout%-(%a+)$")
    if kind and CALLOUTS[kind] then
      local content = el.content
      local title
      if el.attributes.title then
        title = pandoc.utils.blocks_to_inlines(pandoc.read(el.attributes.title, "markdown").blocks)
      elseif content[1] and content[1].t == "Header" then
        title = content:remove(1).content
      else
        title = pandoc.Inlines { pandoc.Str(CALLOUTS[kind]) }
      end
      local header = pandoc.Div({ pandoc.Plain(title) }, { class = "callout-header" })
      local body = pandoc.Div(content, { class = "callout-body" })
      return pandoc.Div({ header, body }, { id = el.identifier, class = "callout callout-" .. kind })
    end
  end
  return nil
end

local numbering = {
  traverse = "topdown",
  Div = function(el)
    local out = float_div(el)
    return out or callout(el)
  end,
  Figure = function(el)
    local id = el.identifier
    if id == "" and el.content[1] and el.content[1].t == "Plain" and el.content[1].content[1]
        and el.content[1].content[1].t == "Image" then
      id = el.content[1].content[1].identifier
      el.identifier = id
    end
    local kind = kind_of(id)
    if not kind then return nil end
    el.caption.long = { pandoc.Plain(number(id, kind, pandoc.utils.blocks_to_inlines(el.caption.long))) }
    return el
  end,
  Table = function(el)
    local kind = kind_of(el.identifier)
    if kind ~= "tbl" then return nil end
    el.caption.long = { pandoc.Plain(number(el.identifier, kind, pandoc.utils.blocks_to_inlines(el.caption.long))) }
    return el
  end,
}

local crossrefs = {
  Cite = function(el)
    for _, c in ipairs(el.citations) do
      if not kind_of(c.id) then return nil end
    end
    local out = pandoc.Inlines {}
    for i, c in ipairs(el.citations) do
      if i > 1 then out:extend { pandoc.Str(","), pandoc.Space() } end
      out:extend(c.prefix)
      if #c.prefix > 0 then out:insert(pandoc.Space()) end
      local id = c.id:sub(1, 1):lower() .. c.id:sub(2)
      if refs[id] then
        out:insert(pandoc.Link(refs[id], "#" .. id, "", { class = "tg-xref" }))
      else
        io.stderr:write("[WARNING] unresolved cross-reference @" .. c.id .. "\n")
        out:insert(pandoc.Strong { pandoc.Str("?@" .. c.id) })
      end
      out:extend(c.suffix)
    end
    return out
  end,
  Link = function(el)
    if not el.target:match("^%a[%w+.-]*:") then
      el.target = el.target:gsub("^([^#?]+)%.qmd([#?].*)$", "%1.html%2"):gsub("^([^#?]+)%.qmd$", "%1.html")
    end
    return el
  end,
}

return { numbering, crossrefs }
